extension ChineseCatalogue {
    /// Picture quality's messages: the picture figures (图像质量正常率), frozen pictures, thumbnails.
    static let pictureEntries: [String: String] = [
        "picture normal rate (图像质量正常率) {} ({}/{} pictures checked without a finding)": "图像质量正常率 {1}（已检图像 {3} 路，无异常 {2} 路）",
    ]
}
