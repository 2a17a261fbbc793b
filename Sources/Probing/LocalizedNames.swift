import Localization
import Registry

// The names people read for the values a sweep reports; the catalogue holds the Chinese.

extension HealthStatus {
    /// 在线 / 异常 / 离线 in Chinese, the identifier in English.
    public var localizedName: String { Vocabulary.name("status", rawValue) }
}

extension ReasonCode {
    /// 超时, 连接被拒绝, 无视频轨… in Chinese, the reason code in English.
    public var localizedName: String { Vocabulary.name("reason", rawValue) }
}

extension CheckKind {
    public var localizedName: String { Vocabulary.name("check", rawValue) }
}

extension CameraStatus {
    /// 待审核 / 在用 / 停用 in Chinese.
    public var localizedName: String { Vocabulary.name("record", rawValue) }
}

extension CameraSource {
    public var localizedName: String { Vocabulary.name("source", rawValue) }
}

extension VillageKind {
    /// 村 / 社区 in Chinese.
    public var localizedName: String { Vocabulary.name("place", rawValue) }
}
