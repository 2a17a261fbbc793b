extension ChineseCatalogue {
    /// Spreadsheet import: spellings of dates, villages and key points by name, Excel's mangled ids, changes to
    /// existing cameras, and what `xueliang import` prints.
    static let importEntries: [String: String] = [
        // Dates as sheets write them.
        "'{}' is not a date; write YYYY-MM-DD (also 2023/6/5, 2023年6月5日, 20230605 or an Excel date number)":
            "“{}”不是日期；请写成 YYYY-MM-DD（也可写 2023/6/5、2023年6月5日、20230605 或 Excel 日期数值）",
        "'{}' is not a date between 1900 and 2999": "“{}”不是 1900 至 2999 年之间的日期",
        "'{}' is not a real date: there is no month {}": "“{}”不是真实日期：没有{}月",
        "'{}' is not a real date: {}-{} has {} days": "“{}”不是真实日期：{}-{}只有{}天",
        // Ids and codes Excel turned into numbers.
        "'{}' is a number, not an id: Excel read the 20-digit id as a number and kept {} of its digits; format the column as Text "
            + "(设置单元格格式→文本) and re-enter the ids, or export with xueliang export":
            "“{}”是数值而不是编码：Excel 把 20 位编码当成数值，只保留了 {} 位；请把该列设置为文本（设置单元格格式→文本）后重新录入编码，"
            + "或用 xueliang export 导出",
        "'{}' is a number, not an id: Excel read the 20-digit id as a number and kept {} of its digits (it may have been {}); format "
            + "the column as Text (设置单元格格式→文本) and re-enter the ids, or export with xueliang export":
            "“{}”是数值而不是编码：Excel 把 20 位编码当成数值，只保留了 {} 位（原编码可能是 {}）；请把该列设置为文本（设置单元格格式→文本）"
            + "后重新录入编码，或用 xueliang export 导出",
        "{} is in no record, but it is what Excel makes of {} (a number keeps 15 digits; the last 5 become zeros); format the column "
            + "as Text (设置单元格格式→文本) and re-enter the ids, or export with xueliang export":
            "{} 不在任何记录中，但它正是 Excel 对 {} 的处理结果（数值只保留 15 位，末 5 位变成 0）；请把该列设置为文本（设置单元格格式→文本）"
            + "后重新录入编码，或用 xueliang export 导出",
        "'{}' is a number, not a code: Excel showed the 12-digit code in scientific notation and kept only some of its digits; format "
            + "the column as Text (设置单元格格式→文本) and re-enter the codes":
            "“{}”是数值而不是代码：Excel 用科学计数法显示了 12 位代码，只保留了部分数字；请把该列设置为文本（设置单元格格式→文本）后重新录入代码",
        // Villages and key points by name.
        "no village or community named '{}' in county {}: the registry has no villages there; import them first (xueliang import --villages)":
            "县 {2} 中没有名为“{1}”的村或社区：登记册中还没有该县的村社区；请先导入（xueliang import --villages）",
        "no village or community named '{}' in county {}; give its 12-digit code, or import it first (xueliang import --villages)":
            "县 {2} 中没有名为“{1}”的村或社区；请填写其 12 位代码，或先导入（xueliang import --villages）",
        "no village or community named '{}' in county {}; similar: {}; give the 12-digit code":
            "县 {2} 中没有名为“{1}”的村或社区；相近的有：{3}；请填写 12 位代码",
        "'{}' names {} villages in county {}: {}; give the 12-digit code": "“{1}”在县 {3} 中对应 {2} 个村社区：{4}；请填写 12 位代码",
        "'{}' is village {}, but {} says {}": "“{1}”是村社区 {2}，但 {3} 列写的是 {4}",
        "a new camera needs its village: its 12-digit code or the name of a village in the registry":
            "新相机需要填写所属村社区：12 位代码或登记册中的村社区名称",
        "'{}' names {} key points of village {} ({}); write the key point's id": "“{1}”对应村社区 {3} 的 {2} 个重点点位（{4}）；请填写点位编号",
        // No silent overwrite.
        "already in the registry; this import would change {}; nothing is changed without --update (--dry-run lists every change)":
            "已在登记册中；本次导入将修改 {}；不加 --update 不作任何修改（--dry-run 列出全部修改）",
        "(empty)": "（空）",
        // What xueliang import prints.
        "ignored columns {}: not camera columns (see docs/inventory-format.md)": "已忽略的列 {}：不是相机字段（见 docs/inventory-format.md）",
        "ignored columns {}: not village columns (see docs/inventory-format.md)": "已忽略的列 {}：不是村社区字段（见 docs/inventory-format.md）",
        "would add {} (line {}): {}, {}": "将新增 {}（第{}行）：{}，{}",
        "would change {} (line {}):": "将修改 {}（第{}行）：",
        "changed {} (line {}):": "已修改 {}（第{}行）：",
        "{}, tab-separated": "{}，制表符分隔",
        "{}, comma-separated": "{}，逗号分隔",
        "sheet '{}'": "工作表“{}”",
        "imported {} ({}): {} cameras added, {} updated, {} unchanged": "已导入 {}（{}）：新增相机 {} 台，修改 {} 台，未变 {} 台",
        "would import {} ({}): {} cameras added, {} updated, {} unchanged": "将导入 {}（{}）：新增相机 {} 台，修改 {} 台，未变 {} 台",
        "imported {} ({}): {} villages added, {} updated, {} unchanged": "已导入 {}（{}）：新增村社区 {} 个，修改 {} 个，未变 {} 个",
        "would import {} ({}): {} villages added, {} updated, {} unchanged": "将导入 {}（{}）：新增村社区 {} 个，修改 {} 个，未变 {} 个",
        "{} cameras already in the registry would change: import with --update to apply the changes":
            "登记册中已有的 {} 台相机将被修改：加 --update 导入以应用修改",
        "1 row rejected": "1 行被拒绝",
        "1 row rejected; written to {}": "1 行被拒绝；已写入 {}",
        "{} rows rejected": "{} 行被拒绝",
        "{} rows rejected; written to {}": "{} 行被拒绝；已写入 {}",
    ]
}
