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
        // `catalog import` and the summary above `catalog diff`.
        "{} declared {}": "{}（声明为 {}）", "{} undeclared": "{}（未声明）",
        "1 file": "1 个文件", "{} files": "{} 个文件",
        "1 Catalog response": "1 条目录应答（Catalog）", "{} Catalog responses": "{} 条目录应答（Catalog）",
        "1 other message": "1 条其他消息", "{} other messages": "{} 条其他消息",
        "1 message": "1 条消息", "{} messages": "{} 条消息",
        "read {} ({}): {}, {}": "读取 {}（{}）：{}，{}",
        "catalog {} SN {}: {} of {} items in {}": "目录 {1}（SN {2}）：收到 {3}/{4} 项，分 {5}",
        "catalog {} SN {}: {} (no SumNum) items in {}": "目录 {1}（SN {2}）：收到 {3} 项（无 SumNum），分 {4}",
        "{}: incomplete, {} never arrived": "{}：不完整，{} 项未收到",
        "1 video device": "1 个视频设备", "{} video devices": "{} 个视频设备",
        "{}; skipped nothing": "{}；未跳过任何项", "{}; skipped {}": "{}；跳过 {}",
        "{}; {} listed more than once (the last file's item is kept)": "{}；{} 项重复出现（保留最后一个文件中的）",
        "1 administrative region": "1 个行政区划", "{} administrative regions": "{} 个行政区划",
        "1 business group": "1 个业务分组", "{} business groups": "{} 个业务分组",
        "1 virtual organisation": "1 个虚拟组织", "{} virtual organisations": "{} 个虚拟组织",
        "1 non-video device": "1 个非视频设备", "{} non-video devices": "{} 个非视频设备",
        "1 item without DeviceID": "1 项无 DeviceID", "{} items without DeviceID": "{} 项无 DeviceID",
        "'xueliang catalog diff' compares it with the registry; --register makes pending records of the devices not registered":
            "'xueliang catalog diff' 将其与台账比对；--register 为未登记的设备建立待审核档案",
        "1 pending camera": "1 路待审核摄像机", "{} pending cameras": "{} 路待审核摄像机",
        "would register {} from the catalog": "将从目录登记 {}", "registered {} from the catalog": "已从目录登记 {}",
        "{} (every device is registered already)": "{}（所有设备均已登记）",
        "{}; complete them and set them active with 'xueliang update'": "{}；请补全档案，并用 'xueliang update' 设为在用",
        "catalog-field:name": "名称", "catalog-field:civil_code": "行政区划（CivilCode）", "catalog-field:coordinates": "经纬度", "catalog-field:parent": "上级设备（ParentID）",
    ]
}
