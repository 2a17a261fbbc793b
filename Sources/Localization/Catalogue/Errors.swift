extension ChineseCatalogue {
    /// Errors of the registry, the state directory, monitor files and the system calls beneath them.
    static let errorEntries: [String: String] = [
        // A failed system call (`systemFailure`): the operation and the system's reason.
        "{}: cannot {}: {}": "{1}：无法{2}：{3}",
        "operation:open": "打开", "operation:read": "读取", "operation:write": "写入", "operation:create": "创建",
        "operation:append": "追加", "operation:close": "关闭", "operation:stat": "查看", "operation:seek": "定位",
        "operation:lock": "加锁", "operation:list": "列出", "operation:wait": "等待", "operation:fsync": "同步到磁盘",
        "operation:truncate": "截断", "operation:open the lock file": "打开锁文件", "operation:rename into place": "替换到位",
        "operation:create directory": "创建目录", "operation:open directory": "打开目录", "operation:fsync directory": "把目录同步到磁盘",
        "operation:set aside": "移到一旁", "operation:cut a torn line": "截去写了一半的行", "operation:read (not a regular file)": "读取（不是普通文件）",
        "errno:No such file or directory": "文件或目录不存在", "errno:Permission denied": "权限不足",
        "errno:No space left on device": "磁盘空间不足", "errno:Read-only file system": "只读文件系统",
        "errno:File exists": "文件已存在", "errno:Not a directory": "不是目录", "errno:Is a directory": "是目录",
        "errno:Too many open files": "打开的文件过多", "errno:Disk quota exceeded": "超出磁盘配额",
        "errno:Input/output error": "输入/输出错误", "errno:Operation not permitted": "不允许的操作",
        "errno:Directory not empty": "目录非空", "errno:File name too long": "文件名过长",
        "errno:Resource temporarily unavailable": "资源暂时不可用", "errno:File too large": "文件过大",
        "errno:Invalid argument": "参数无效",

        // The registry.
        "is {} bytes or more; at most {} bytes ({} MiB) are read from such a file": "有 {1} 字节或更多；此类文件最多读取 {2} 字节（{3} MiB）",
        "is {} bytes or more; at most {} bytes are read from such a file": "有 {1} 字节或更多；此类文件最多读取 {2} 字节",
        "{}: not an inventory ({}); create one with 'xueliang init' or point --inventory at it":
            "{1}：不是台账目录（{2}）；请用 'xueliang init' 创建，或用 --inventory 指向台账",
        "not a directory": "不是目录", "no such directory": "目录不存在", "it has no villages/ folder": "缺少 villages/ 文件夹",
        "no {} {} in the registry": "台账中没有{1} {2}",
        "camera": "摄像机", "active camera": "在用摄像机",
        "{}: mode {} lets others read camera passwords; run 'chmod 600 {}'": "{1}：权限 {2} 允许他人读取摄像机密码；请运行 'chmod 600 {3}'",
        "{}: no {}; {}": "{1}：没有{2}；{3}",
        "picture": "图片", "give the path of a JPEG file": "请给出 JPEG 文件的路径",
        "monitor state yet": "监测状态",
        "run 'xueliang watch --monitor Monitors/NAME.json' or 'xueliang sweep --monitor …' first":
            "请先运行 'xueliang watch --monitor Monitors/NAME.json' 或 'xueliang sweep --monitor …'",
        "monitor that has seen camera {}": "见过摄像机 {} 的监测",
        "no such camera in the registry either": "台账中也没有这台摄像机", "is it in a monitor's scope?": "它在某个监测的范围内吗？",

        // The state directory.
        "{}: no sweep yet; {}": "{1}：尚无巡检；{2}",
        "run 'xueliang sweep' first, give --results FILE, or --monitor NAME for a watched monitor's latest sweep":
            "请先运行 'xueliang sweep'，或给出 --results 文件，或用 --monitor NAME 读取某个监测的最近一次巡检",
        "the monitor keeps its sweeps when run without --no-save": "监测不带 --no-save 运行时才保存巡检",
        "{}:{}: {}; later lines follow it, so this is damage, not a torn last write: repair or remove that line":
            "{1}:{2}：{3}；其后还有内容，这是损坏，不是最后一次写入中断：请修复或删除该行",
        "monitor {} is being swept by another process (lock {}); a monitor never runs two sweeps at once":
            "监测 {1} 正由另一个进程巡检（锁 {2}）；同一监测不会同时运行两次巡检",
        "monitor {} has no recorded sweep in {}; run 'xueliang sweep --monitor' or 'xueliang watch --monitor' first":
            "监测 {1} 在 {2} 中没有已记录的巡检；请先运行 'xueliang sweep --monitor' 或 'xueliang watch --monitor'",

        // Monitor files (docs/monitors.md): what is wrong with a key.
        "cannot be read": "无法读取", "is not JSON ({})": "不是 JSON（{}）",
        "must be an object": "必须是对象", "unknown key; allowed here: {}": "未知的键；此处可用：{}",
        "must be a non-empty string": "必须是非空字符串", "must be a list of strings": "必须是字符串列表",
        "must be a whole number in {}...{}": "必须是 {}…{} 之间的整数", "must be a number in {}...{}": "必须是 {}…{} 之间的数",
        "must be a duration like \"500ms\", \"30s\", \"15m\", \"2h\" or \"1d\" between {} and {}":
            "必须是时长，如 \"500ms\"、\"30s\"、\"15m\"、\"2h\" 或 \"1d\"，介于 {} 与 {} 之间",
        "must be \"xueliang.monitor/1\"": "必须是 \"xueliang.monitor/1\"", "is required, e.g. \"15m\"": "必填，例如 \"15m\"",
        "'{}' cannot name a state directory: no '/', no leading '.', no control characters, no space at either end":
            "'{}' 不能用作状态目录名：不能含 '/'，不能以 '.' 开头，不能含控制字符，首尾不能有空格",
        "'{}' is not a 6-digit county, 9-digit township or 12-digit village code": "'{}'不是6位县级、9位乡镇级或12位村级区划代码",
        "'{}' is not public or citizen": "'{}' 不是 public（公共）或 citizen（群众）",
        "an empty tag matches no camera; leave the list empty (or out) for cameras with any tags":
            "空标签匹配不到任何摄像机；要包括带任何标签的摄像机，请留空列表（或省略）",
        "'{}' is not one of {}": "'{}' 不是以下之一：{}",
        "must name at least one of {}; leave it out for every check a camera has but media and picture":
            "至少须列出以下之一：{}；省略则运行摄像机具备的全部检查（media 与 picture 除外）",
        "'{}' is listed twice": "'{}' 列出了两次",
        "must be a rate in bits/s like \"500M\" or \"1G\" (at least 1K)": "必须是比特率，如 \"500M\" 或 \"1G\"（至少 1K）",
        "shares out the {} check, which runs only when named: add \"{}\" to checks":
            "用于分摊 {} 检查，而该检查只在列出时运行：请在 checks 中加入 \"{}\"",
        "cannot exceed timeout ({}), the whole transfer's limit": "不能超过 timeout（{}），即整个传输的时限",
        "cannot exceed thresholds.flapping_window ({})": "不能超过 thresholds.flapping_window（{}）",
        "must be a list": "必须是列表",
        "must be an absolute path to a program, and an alert is a command or a webhook, not both":
            "必须是程序的绝对路径；一个告警是 command 或 webhook，不能两者都有",
        "must be an absolute path to a program": "必须是程序的绝对路径",
        "applies to webhooks only": "仅适用于 webhook",
        "must be an http(s) URL without credentials": "必须是不含账号密码的 http(s) URL",
        "needs \"command\" or \"webhook\"": "需要 \"command\" 或 \"webhook\"",

        // Sweep notes on stderr.
        "{}{}: {}; set aside as {}, the trend starts again": "{1}{2}：{3}；已移到 {4}，趋势重新开始",
        "another process (a watch?) is delivering monitor {}'s alerts; this sweep's alerts wait in the outbox for it":
            "另一个进程（watch？）正在发送监测 {} 的告警；本次巡检的告警在发件箱中等它发送",
        "{}/{}  {}/s  online {}  degraded {}  offline {}  ETA {}": "{1}/{2}  {3}/秒  在线 {4}  异常 {5}  离线 {6}  预计剩余 {7}",
    ]
}
