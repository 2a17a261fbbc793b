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
