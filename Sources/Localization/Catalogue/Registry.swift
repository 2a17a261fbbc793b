extension ChineseCatalogue {
    /// The registry's messages: validation, village files, imports.
    static let registryEntries: [String: String] = [
        "unknown column (column {}); see docs/inventory-format.md for the camera columns": "未知列（第{}列）；相机的列见 docs/inventory-format.md",
        // Spreadsheet import (the import's own sentences are in Import.swift).
        "column given twice": "该列出现了两次",
        "required column is missing": "缺少必需的列",
        "has {} fields; the header has {}": "有 {} 个字段；表头有 {} 个",
        "{} is also on line {}": "{} 也出现在第 {} 行",
        "{} is not in the registry; import the villages first (xueliang import --villages)": "{} 不在登记册中；请先导入村社区（xueliang import --villages）",
        "'{}' is not village (村) or community (社区)": "“{}”不是村或社区",
        "'{}' is not village or community": "“{}”不是村或社区",
        "'{}' is not id:name": "“{}”不是“编号:名称”格式",
        "'{}' is not a coordinate system; use wgs84 (GPS) or gcj02 (火星坐标, map apps)": "“{}”不是坐标系；请用 wgs84（GPS）或 gcj02（火星坐标，地图软件）",
        "device {} is not in the registry (its row, line {}, was rejected)": "设备 {} 不在登记册中（它所在的第 {} 行被拒绝）",
        // Field values.
        "'{}' is not a source; use public (公共) or citizen (社会)": "“{}”不是来源；请用 public（公共）或 citizen（社会）",
        "'{}' is not a status; use pending, active or retired": "“{}”不是状态；请用 pending（待审核）、active（在用）或 retired（停用）",
        "'{}' is not yes or no": "“{}”不是“是”或“否”",
        "'{}' is not a consent scope; use live and/or playback": "“{}”不是授权范围；请用 live（实时）和/或 playback（回放）",
        "'{}' is not a mobile (11 digits) or landline number": "“{}”不是手机号（11 位）或固定电话号码",
        "'{}' is not a direction; use east…southwest, 1-8 or 东/西/南/北/东北/西北/东南/西南": "“{}”不是方位；请用 east…southwest、1-8 或 东/西/南/北/东北/西北/东南/西南",
        "key point {} is not defined in village {}": "村社区 {2} 没有重点点位 {1}",
    ]
}
