extension ChineseCatalogue {
    /// What people read after a sweep: the sweep's summary, the figures, the offline list, a camera's history.
    static let reportEntries: [String: String] = [
        // Shared words.
        ", ": "，",
        "STATUS": "状态", "REASON": "原因", "ID": "设备编码", "NAME": "名称", "VILLAGE": "村/社区", "DETAIL": "详情",
        "CAMERA": "设备编码", "OWNER": "机主", "PHONE": "电话", "UNTIL": "截止", "WHY": "原因", "STATION": "派出所",
        "MAINTAINER": "运维单位", "FLAG": "标记", "SINCE": "开始时间", "FOR": "持续", "MONITOR": "监测任务",
        "AT": "时间", "FROM": "原状态", "TO": "新状态", "ALERT": "告警",
        "CAMERAS": "摄像机", "ONLINE": "在线率", "VILLAGES": "村/社区数", "COVERED": "覆盖率", "KEY POINTS": "重点点位",
        "COMPLETE": "档案完整率", "CLOCK OK": "时钟准确率",
        "grouping:VILLAGE": "村/社区代码", "grouping:TOWNSHIP": "乡镇", "grouping:COUNTY": "县区", "grouping:STATION": "派出所",
        "grouping:MAINTAINER": "运维单位",
        "flag:offline": "离线", "flag:frozen": "画面冻结", "flag:flapping": "频繁掉线",
        "alert:offline": "离线", "alert:recovered": "恢复", "alert:flapping": "频繁掉线", "alert:frozen": "画面冻结",
        "status:unknown": "未知",
        "{}d {}h": "{}天{}小时", "{}h {}m": "{}小时{}分", "{}m": "{}分", "{}s": "{}秒",

        // The sweep.
        "INTERRUPTED: {} of {} cameras finished; partial results": "已中断：{2}台中{1}台完成检测；以下为部分结果",
        "swept {} cameras in {} s ({}/s): {} online, {} degraded, {} offline":
            "检测{1}台摄像机，用时{2}秒（每秒{3}台）：在线{4}台，异常{5}台，离线{6}台",
        "by reason: {}": "按原因：{}",
        "not probed: 1 citizen camera without consent in force (no-consent, not counted as offline; 'xueliang coverage' lists them for renewal): {}":
            "未检测：1台社会摄像机无有效授权（未获机主授权，不计为离线；续签名单见 'xueliang coverage'）：{}",
        "not probed: {} citizen cameras without consent in force (no-consent, not counted as offline; 'xueliang coverage' lists them for renewal): {}":
            "未检测：{1}台社会摄像机无有效授权（未获机主授权，不计为离线；续签名单见 'xueliang coverage'）：{2}",

        // The figures.
        "online rate {} ({}/{}; public {}, citizen {}); village coverage {} ({}/{}; villages {}/{}, communities {}/{}); key points {} ({}/{}); every key point watched in {}/{} villages":
            "在线率 {1}（{2}/{3}；公共 {4}，社会 {5}）；村（社区）覆盖率 {6}（{7}/{8}；村 {9}/{10}，社区 {11}/{12}）；重点点位覆盖率 {13}（{14}/{15}）；重点点位全覆盖的村 {16}/{17}",
        "blind spots: {} with no camera registered, {} with every camera offline": "盲区：{1}处未登记摄像机，{2}处摄像机全部离线",
        "; {} active cameras not in the sweep": "；{}台在用摄像机不在本次检测中",
        "; {} citizen consents expire within 30 days": "；{}份社会摄像机授权30天内到期",
        "catalog consistency (目录一致率) {} ({}/{}); the differences: xueliang catalog diff":
            "目录一致率 {1}（{2}/{3}）；差异见 xueliang catalog diff",
        "pending: {} records awaiting review, not in service and not counted": "待审核：{}条档案尚未审核，未投入使用，不计入统计",
        "consent to renew (not probed, not counted): {}": "待续签授权（未检测，不计入统计）：{}",
        "consent expiring within 30 days: {}": "30天内到期的授权：{}",
        "availability {} over {} sweeps since {} ({})": "可用率 {1}（自 {3} 起 {2} 次检测；{4}）",

        // Flagged feeds and a camera's history.
        "no flagged feeds": "没有被标记的视频",
        "{} offline": "离线{}台", "{} frozen": "画面冻结{}台", "{} flapping": "频繁掉线{}台",
        "consent expired on {}": "授权已于{}到期", "no consent end date on record": "未登记授权截止日期",
        "no consent scope on record": "未登记授权范围",
        "monitor {}, last 1 day": "监测任务 {}，最近1天",
        "monitor {}, last {} days": "监测任务 {1}，最近{2}天",
        ": availability {} over {} observed, {} sweeps": "：可用率 {1}，观测 {2}，{3}次检测",
        ": not observed over two sweeps in the period": "：本期内未观测到两次检测",
        "now {} since {}": "当前{1}，自 {2} 起",
        ", {} failed sweeps in a row": "，连续{}次检测失败",
        ", last worked {}": "，最后正常于 {}",
        ", flapping": "，频繁掉线",
        "not watched by this monitor now": "当前不在此监测任务中",
        "no transitions in the period": "本期内无状态变化",
    ]
}
