extension ChineseCatalogue {
    /// Picture quality's messages: the picture figures (图像质量正常率), frozen pictures, thumbnails.
    static let pictureEntries: [String: String] = [
        "picture normal rate (图像质量正常率) {} ({}/{} pictures checked without a finding)": "图像质量正常率 {1}（已检图像 {3} 路，无异常 {2} 路）",
        "recorded 1 day reference in {}": "已在 {} 记录 1 路白天参考画面",
        "recorded {} day references in {}": "已在 {2} 记录 {1} 路白天参考画面",
        "recorded 1 night reference in {}": "已在 {} 记录 1 路夜间参考画面",
        "recorded {} night references in {}": "已在 {2} 记录 {1} 路夜间参考画面",
        "; {} not recorded (no picture, or a picture with a finding is no reference)": "；{} 路未记录（无画面，或画面有异常，不能作为参考）",
        "none (a normal picture)": "无（画面正常）",
        "{} bytes": "{} 字节",
        ", progressive": "，渐进式",
        "findings: {}": "诊断结果：{}",
        "luma: mean {}, deviation {}, dark share {}, bright share {}, near-median share {}": "亮度：均值 {1}，标准差 {2}，过暗占比 {3}，过亮占比 {4}，近中值占比 {5}",
        "dominant colour share {}": "主色占比 {}",
        "sharpness: AC energy per block {}, weighted non-zero share {}": "清晰度：每块交流能量 {1}，加权非零系数占比 {2}",
        "colour: cast factor {}, mean chroma distance {}, mean chroma magnitude {}": "色彩：偏色因子 {1}，平均色度距离 {2}，平均色度幅度 {3}",
        "colour: a greyscale picture": "色彩：灰度画面",
    ]
}
