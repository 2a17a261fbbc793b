extension ChineseCatalogue {
    /// What the commands say: help, the registry's commands, validation's summary, refusals, the watch line.
    static let commandEntries: [String: String] = [
        "xueliang: the camera registry and health of a county's video network (雪亮工程).": "xueliang：县域视频联网（雪亮工程）摄像机登记与运行状态检测。",
        "Usage:": "用法：", "Commands:": "命令：", "Options:": "选项：", "Global options:": "全局选项：",
        "'xueliang COMMAND --help' describes a command's options.": "'xueliang 命令 --help' 查看命令的选项。",
        "initialised inventory in {}": "已在 {} 初始化设备台账",
        "registered camera {} in village {}": "已登记摄像机 {1}，所属村（社区）{2}",
        "updated camera {}": "已更新摄像机 {}",
        "camera {} unchanged": "摄像机 {} 无变化",
        "retired camera {}": "已停用摄像机 {}",
        "added village {}": "已添加村（社区）{}",
        "updated village {}": "已更新村（社区）{}",
        "{} villages and communities": "共{}个村（社区）",
        "1 camera": "共1台摄像机",
        "{} cameras": "共{}台摄像机",
        "not recorded: {}": "未记录：{}",
        "incomplete records of {}: {} ({}{})": "{1}的不完整档案：{2}条（{3}{4}）",
        "{} villages, {} cameras: ": "{1}个村（社区），{2}台摄像机：",
        "1 error, ": "1个错误，", "{} errors, ": "{}个错误，",
        "1 warning": "1个警告", "{} warnings": "{}个警告",
        " (1 gap)": "（1处缺项）", " ({} gaps)": "（{}处缺项）",
        "; record completeness {} ({}/{} active cameras)": "；一机一档合格率 {1}（{2}/{3}台在用摄像机）",
        "refused: 1 problem; nothing was written": "已拒绝：1个问题；未写入任何内容",
        "refused: {} problems; nothing was written": "已拒绝：{}个问题；未写入任何内容",
        "warning:": "警告:",
        "{} sweep {}: {}/{} working ({}), {} offline ({} new), {} failing, {} recovered, {} flapping, {} frozen{}; {} s":
            "{1} 第{2}次巡检：正常 {3}/{4}（{5}），离线{6}台（新增{7}台），失败{8}台，恢复{9}台，频繁掉线{10}台，画面冻结{11}台{12}；用时{13}秒",
        ", {} slow (over {} s)": "，{1}台响应慢（超过{2}秒）",
        "{}: sweep cancelled after {} s; nothing recorded": "{1}：巡检在{2}秒后取消；未记录",
        "period {} to {} ({}, UTC{}): {} sweeps of monitor {}": "统计期 {1} 至 {2}（{3}，UTC{4}）：监测任务 {6} 共{5}次巡检",
        // Table headers.
        "SOURCE": "来源", "CHECKS": "检测项", "CODE": "区划代码", "KIND": "类型", "TOWNSHIP": "乡镇（街道）", "FIELD": "字段",
        "VALUE": "值", "CIVIL CODE": "行政区划", "WHERE": "位置", "REGISTRY": "台账", "PLATFORM": "平台", "RANK": "排名",
        "SWEEPS": "巡检次数", "DAILY MEAN ONLINE": "日均在线率", "AVAILABILITY": "可用率",
    ]
}
