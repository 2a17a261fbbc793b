/// Rates as people read them: `97.5%`, one decimal, never `100.0%` for less than all.
public enum Percent {
    public static func text(_ rate: Double) -> String {
        var tenths = (rate * 1000).rounded()
        if tenths == 1000 && rate < 1 { tenths = 999 }
        let whole = Int(tenths) / 10
        let fraction = Int(tenths) % 10
        return "\(whole).\(fraction)%"
    }
}
