extension ChineseCatalogue {
    /// Refusals of a command line (exit 64): what was wrong and where to read the options.
    static let usageEntries: [String: String] = [
        "see 'xueliang {} --help'": "参见 'xueliang {} --help'",
        "see 'xueliang help'": "参见 'xueliang help'",
        "unknown command '{}'": "未知命令 '{}'",
        "did you mean: {}?": "您是否要用：{}？",
        "unknown option {}": "未知选项 {}",
        "unknown option {} for 'xueliang {}'": "'xueliang {2}' 没有选项 {1}",
        "{} needs a value ({})": "{1} 需要一个值（{2}）",
        "{} takes no value": "{} 不带值",
        "unexpected argument '{}'": "多余的参数 '{}'",
        "missing {}": "缺少 {}",
        "missing --village CODE": "缺少 --village 区划代码",
        "missing FILE.xml (one or more Catalog responses of the GB/T 28181 platform)": "缺少 FILE.xml（GB/T 28181 平台的一个或多个 Catalog 应答）",
        "give at least one of --html, --csv, --work-orders, --prometheus": "请至少给出 --html、--csv、--work-orders、--prometheus 之一",
        "give camera ids or --all, not both": "请给出摄像机编码或 --all，不能同时给出",
        "give only one of --village, --township, --county": "--village、--township、--county 只能给出其中一个",
        "nothing to change; give at least one field option": "没有要修改的内容：请至少给出一个字段选项",
        "--by: '{}' is not village, township, county, station or maintainer": "--by：'{}' 不是 village、township、county、station 或 maintainer",
        "--clock-tolerance: '{}' is not a number of seconds in 0...86400": "--clock-tolerance：'{}' 不是 0 到 86400 之间的秒数",
        "--critical ({}) must not be above --warning ({})": "--critical（{1}）不能高于 --warning（{2}）",
        "--day or --night, not both": "--day 与 --night 只能选一个",
        "--days: '{}' is not a whole number of days in 1...3650": "--days：'{}' 不是 1 到 3650 之间的整天数",
        "--distance: '{}' is not a distance in metres above 0": "--distance：'{}' 不是大于 0 的米数",
        "--dry-run goes with --register": "--dry-run 须与 --register 一起使用",
        "--include-pending goes with --no-save (and not with --monitor): pending cameras are not in service, and the kept sweep and a monitor's journal feed the figures":
            "--include-pending 须与 --no-save 一起使用（不能与 --monitor 一起用）：待审核摄像机未投入使用，而保存的巡检和监测日志用于计算指标",
        "--keep DURATION is required, e.g. --keep 90d": "需要 --keep 时长，例如 --keep 90d",
        "--keep: keep at least an hour": "--keep：至少保留一小时",
        "--media-bandwidth: '{}' is not a rate of at least 1K bits/s (e.g. 500M, 1G)": "--media-bandwidth：'{}' 不是至少 1K 比特/秒的速率（例如 500M、1G）",
        "--memory-budget: '{}' is not a size of at least 1M (e.g. 512M, 2G)": "--memory-budget：'{}' 不是至少 1M 的大小（例如 512M、2G）",
        "--min-cameras: '{}' is not a whole number ≥ 1": "--min-cameras：'{}' 不是 ≥ 1 的整数",
        "--monitor FILE is required": "需要 --monitor 文件",
        "--monitor sets the scope and settings; give them in the monitor file instead": "--monitor 已规定范围和设置：请在监测定义文件中给出",
        "--period needs --monitor NAME: the figures over a period come from its journal": "--period 需要 --monitor 名称：一段时间的指标来自其监测日志",
        "--period: '{}' is not day, week, month, a date (YYYY-MM-DD) or a month (YYYY-MM)": "--period：'{}' 不是 day、week、month、日期（YYYY-MM-DD）或月份（YYYY-MM）",
        "--redirects: '{}' is not one of same-host, any, none": "--redirects：'{}' 不是 same-host、any、none 之一",
        "--rejects goes with --skip-invalid": "--rejects 须与 --skip-invalid 一起使用",
        "--respond-within: '{}' is not a duration between 1m and 90d, like 24h or 2d": "--respond-within：'{}' 不是 1m 到 90d 之间的时长，例如 24h 或 2d",
        "--source and --status choose cameras; with --villages give only --village, --township or --county": "--source 和 --status 用于选择摄像机；与 --villages 一起时只能给出 --village、--township 或 --county",
        "--source: '{}' is not public or citizen": "--source：'{}' 不是 public 或 citizen",
        "--status: '{}' is not pending, active or retired": "--status：'{}' 不是 pending、active 或 retired",
        "{}: '{}' is not a duration like 30s, 15m, 24h or 90d": "{1}：'{2}' 不是时长，例如 30s、15m、24h 或 90d",
        "{}: '{}' is not a number in {}...{}": "{1}：'{2}' 不是 {3} 到 {4} 之间的数",
        "{}: '{}' is not a percentage in 0...100": "{1}：'{2}' 不是 0 到 100 之间的百分数",
        "{}: the file's name must end in .xlsx (a workbook) or .csv (CSV for Excel)": "{}：文件名须以 .xlsx（工作簿）或 .csv（供 Excel 用的 CSV）结尾",
    ]
}

extension ChineseCatalogue {
    /// `catalog diff`: the reconciliation of a GB/T 28181 platform's catalog with the registry.
    static let catalogEntries: [String: String] = [
        "目录一致率 catalog consistency: {} ({}/{} registered in-service cameras on the platform with no mismatch)":
            "目录一致率 {1}（平台上已登记在用的摄像机 {3} 路中 {2} 路无不一致）",
        "warning: the catalog is incomplete, so 未上报 may list cameras of the messages that never arrived": "注意：目录不完整，未上报清单可能包含未收到的消息中的摄像机",
        "未建档 on the platform, not registered": "未建档（平台有，台账无）",
        "未上报 registered and in service, not on the platform": "未上报（台账在用，平台无）",
        "mismatches": "不一致",
        " (in 1 camera)": "（涉及 1 路摄像机）", " (in {} cameras)": "（涉及 {} 路摄像机）",
        " ({} m away)": "（相距 {} 米）",
        "false online: the platform says online, the latest sweep found it not working": "假在线（平台显示在线，最近巡检不正常）",
        "false online: no sweep yet to compare with ('xueliang sweep' first, or give --results FILE)": "假在线：尚无巡检可比（请先运行 'xueliang sweep'，或给出 --results 文件）",
        "catalog-field:name": "名称", "catalog-field:civil_code": "行政区划（CivilCode）", "catalog-field:coordinates": "经纬度", "catalog-field:parent": "上级设备（ParentID）",
    ]
}
