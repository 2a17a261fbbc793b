import Testing

/// Every suite of this target, one test at a time: they run encoders and decoders as child processes and
/// decode for seconds, and the test process has one pool thread per core, which other suites' timers
/// need too (a 0.3 s alert timeout once waited 55 s behind them).
@Suite(.serialized) struct PictureQualityTests {}
