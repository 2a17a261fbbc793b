extension ChineseCatalogue {
    /// .xlsx workbooks read and written (module Workbook), a sheet read as the importer's table, and `export`.
    static let workbookEntries: [String: String] = [
        // What kind of file it is.
        "is an Excel 97-2003 workbook (.xls) or one protected by a password; save it as .xlsx (Excel Workbook) without a password, or as CSV UTF-8":
            "是 Excel 97-2003 工作簿（.xls）或设了密码的工作簿；请另存为不设密码的 .xlsx（Excel 工作簿），或另存为 CSV UTF-8",
        "is not an .xlsx workbook (no ZIP archive)": "不是 .xlsx 工作簿（不是 ZIP 压缩包）",
        "is an OpenDocument spreadsheet (.ods); save it as .xlsx (Excel Workbook) or as CSV UTF-8":
            "是 OpenDocument 电子表格（.ods）；请另存为 .xlsx（Excel 工作簿）或 CSV UTF-8",
        "is a binary workbook (.xlsb); save it as .xlsx (Excel Workbook) or as CSV UTF-8":
            "是二进制工作簿（.xlsb）；请另存为 .xlsx（Excel 工作簿）或 CSV UTF-8",
        "is a ZIP archive but not an .xlsx workbook (it has no {})": "是 ZIP 压缩包，但不是 .xlsx 工作簿（其中没有 {}）",
        "is encrypted; save the workbook again without a password": "已加密；请去掉密码后重新保存工作簿",
        "has no worksheet": "没有工作表",
        "has no sheet '{}'; its sheets are {}": "没有工作表“{}”；其工作表为 {}",
        "is CSV text, not an .xlsx workbook: it has no sheets to choose from": "是 CSV 文本而不是 .xlsx 工作簿，没有可选的工作表",
        // The ZIP archive.
        "the ZIP archive's directory is missing (the file is cut off?)": "缺少 ZIP 压缩包的目录（文件不完整？）",
        "is a ZIP64 archive, which no spreadsheet writes for a register; save it again from the spreadsheet":
            "是 ZIP64 压缩包，电子表格保存台账时不会用这种格式；请在电子表格软件中重新保存",
        "is one part of a ZIP archive split over several files; save the workbook again as one file":
            "是分卷 ZIP 压缩包的一部分；请将工作簿重新保存为单个文件",
        "has {} entries; a workbook has at most {}": "有 {} 个条目；工作簿最多 {} 个",
        "the ZIP archive's directory lies outside the file (the file is cut off?)": "ZIP 压缩包的目录超出了文件范围（文件不完整？）",
        "an entry of the ZIP archive's directory is damaged": "ZIP 压缩包目录中的一个条目已损坏",
        "an entry of the ZIP archive's directory is cut off": "ZIP 压缩包目录中的一个条目不完整",
        "is {} bytes uncompressed; at most {} are read": "解压后为 {} 字节；最多读取 {} 字节",
        "its local header in the ZIP archive is missing or damaged": "其在 ZIP 压缩包中的本地文件头缺失或损坏",
        "its data runs past the end of the file (the file is cut off?)": "其数据超出了文件末尾（文件不完整？）",
        "is compressed with method {}, which this reader does not read; save the workbook again from the spreadsheet":
            "使用了压缩方法 {}，本程序不能读取；请在电子表格软件中重新保存工作簿",
        "is {} bytes uncompressed, but the ZIP archive's directory says {}: the file is damaged":
            "解压后为 {} 字节，但 ZIP 压缩包目录记为 {} 字节：文件已损坏",
        "fails its CRC check: the file is damaged": "CRC 校验不通过：文件已损坏",
        // Inflating.
        "zlib could not start inflating": "zlib 无法开始解压",
        "inflates to more than {} bytes, the most read from one part (a zip bomb?)": "解压后超过 {} 字节，即单个部件的读取上限（压缩炸弹？）",
        "inflates more than {} times its size, which no spreadsheet does (a zip bomb?)": "解压后超过原大小的 {} 倍，正常电子表格不会如此（压缩炸弹？）",
        "the compressed data is cut off (the file is truncated?)": "压缩数据不完整（文件被截断？）",
        "the compressed data is damaged ({})": "压缩数据已损坏（{}）",
        // The parts' XML.
        "ends in the middle of a tag (the file is cut off?)": "在标签中间结束（文件不完整？）",
        "is not well-formed XML: {}": "不是格式正确的 XML：{}",
        "an end tag is not closed": "结束标签未闭合",
        "a '<' that starts no tag": "“<”之后不是标签",
        "a '/' inside a tag": "标签内有“/”",
        "an unexpected character inside a tag": "标签内有意外的字符",
        "an attribute without a value": "属性没有值",
        "an attribute value without quotes": "属性值没有引号",
        "{}, in row {}": "{}（第 {} 行）",
        "is missing from the workbook": "在工作簿中缺失",
        "cell {} names shared string {}, which the workbook does not have": "单元格 {} 引用了共享字符串 {}，工作簿中没有该字符串",
        "cell {} holds the date '{}', which is not ISO 8601": "单元格 {} 中的日期“{}”不是 ISO 8601 格式",
        "cell {} holds '{}', which is not a number": "单元格 {} 中的“{}”不是数字",
        "has a cell outside any row": "有不在任何行中的单元格",
        "has more than {} rows": "超过 {} 行",
        "has a row numbered '{}' after row {}": "在第 {2} 行之后出现编号为“{1}”的行",
        "has a row of more than {} cells": "有一行超过 {} 个单元格",
        "has a cell '{}' out of order or outside the sheet": "单元格“{}”顺序错乱或超出工作表范围",
        // A sheet read as the importer's table.
        "the sheet '{}' is empty; expected a header row": "工作表“{}”是空的；第一行应为表头",
        "cell {}{} {}": "单元格 {}{}{}",
        "is longer than {} bytes": "超过 {} 字节",
        "holds the number {}, and a spreadsheet keeps only 15 digits of a number: its last digits are lost. Format the column as Text and type the codes again":
            "中是数字 {}，而电子表格的数字只保留 15 位有效数字，末尾几位已经丢失。请把该列设为“文本”格式后重新录入编码",
        "holds the formula error {}; correct the formula or type the value": "中是公式错误 {}；请改正公式或直接填写数值",
        "holds a formula that was never calculated; open the file in a spreadsheet and save it again":
            "中的公式从未计算过；请用电子表格软件打开后重新保存",
        // export
        "exported 1 camera to {}": "已导出 1 台相机到 {}",
        "exported {} cameras to {}": "已导出 {} 台相机到 {}",
        "exported 1 village to {}": "已导出 1 个村社区到 {}",
        "exported {} villages to {}": "已导出 {} 个村社区到 {}",
    ]
}
