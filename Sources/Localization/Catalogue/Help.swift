extension ChineseCatalogue {
    /// What `xueliang help` and `xueliang COMMAND --help` say: every command's abstract and every option's help.
    /// Option names, values people type (`24h`, `rtsp,snapshot`), file names and document names stay as they are.
    static let helpEntries: [String: String] = [
        // The commands' abstracts, in the order `xueliang help` lists them.
        "Create an empty inventory (villages/ folder and its .gitignore).": "新建空的设备台账（villages/ 目录及其 .gitignore）。",
        "Register a camera (一机一档). Refused, with every problem listed, when something is wrong; gaps are warnings.":
            "登记一台摄像机（一机一档）。有错误时拒绝登记并列出全部问题；缺项只作警告。",
        "Change fields of a registered camera; an empty value clears a field.": "修改已登记摄像机的字段；值为空则清除该字段。",
        "Take a camera out of service; its record is kept.": "停用一台摄像机；其档案保留。",
        "List registered cameras.": "列出已登记的摄像机。",
        "Show one camera's whole record.": "显示一台摄像机的完整档案。",
        "Check every record (一机一档) and list every problem with its file, line and field. Exits 1 on errors.":
            "检查每条档案（一机一档），列出每个问题及其所在文件、行和字段。有错误时退出码为 1。",
        "Probe every active camera in scope and say which really work (TCP, JPEG snapshot, RTSP, HLS, ONVIF clock).":
            "巡检范围内所有在用摄像机，判断哪些真正可用（TCP、JPEG 抓图、RTSP、HLS、ONVIF 时钟）。",
        "The figures a county is judged on: online rate, village and key-point coverage, blind spots, completeness.":
            "县区的考核指标：在线率、村（社区）覆盖率和重点点位覆盖率、盲区、档案完整率。",
        "Write report files from the latest sweep: an offline HTML page, the per-village CSV, work orders, Prometheus metrics.":
            "根据最近一次巡检生成报表文件：可离线打开的 HTML 页面、分村（社区）CSV、工单、Prometheus 指标。",
        "Run a monitor forever at its interval: one sweep at a time, one log line per sweep, alerts on changes.":
            "按监测任务的间隔持续运行：每次只进行一轮巡检，每轮输出一行日志，状态变化时发出告警。",
        "Flagged feeds (offline after the monitor's debounce, frozen, flapping): since when, why, who maintains them.":
            "被标记的视频（经监测任务防抖确认离线、画面冻结、频繁掉线）：起始时间、原因、运维单位。",
        "A camera's state transitions and availability over the last days, from the monitors' journals.":
            "一台摄像机最近几天的状态变化和可用率，取自监测任务的监测日志。",
        "Rewrite monitors' journals without the sweeps older than --keep, atomically; every camera's state is kept.":
            "原子地重写监测日志，删去早于 --keep 的巡检记录；每台摄像机的状态均保留。",
        "A Nagios/Icinga plugin: OK, WARNING or CRITICAL by the share of cameras online (exit 0, 1, 2; 3 when it cannot tell).":
            "Nagios/Icinga 插件：按摄像机在线率给出 OK、WARNING 或 CRITICAL（退出码 0、1、2；无法判断时为 3）。",
        "Add a village or community, or change one.": "添加或修改村（社区）。",
        "List villages and communities with their key points and camera counts.": "列出村（社区）及其重点点位和摄像机数量。",
        "Read a GB/T 28181 platform's Catalog responses; --register makes pending records (一机一档) of the devices not registered.":
            "读取 GB/T 28181 平台的 Catalog 目录响应；加 --register 时为未登记的设备建立待审核档案（一机一档）。",
        "Reconcile a GB/T 28181 platform's catalog with the registry: 未建档, 未上报, mismatches, false online, 目录一致率.":
            "将 GB/T 28181 平台目录与台账比对：未建档、未上报、信息不一致、虚假在线、目录一致率。",
        "Diagnose a JPEG picture as the picture check does (signal loss, too dark or bright, low contrast, colour cast) and print its measures.":
            "按图像质量检测的方法诊断一张 JPEG 图片（信号丢失、过暗或过亮、对比度低、偏色），并输出各项测量值。",
        "Record cameras' current snapshots as their reference pictures (for blur, occlusion and scene change).":
            "将摄像机当前的抓图保存为参考图（用于模糊、遮挡和场景变换检测）。",

        // Global options.
        "the inventory (default ./Inventory, or $XUELIANG_INVENTORY)": "设备台账目录（默认 ./Inventory，或 $XUELIANG_INVENTORY）",
        "credential profiles (default DIR/credentials.json, or $XUELIANG_CREDENTIALS)":
            "凭据配置文件（默认 DIR/credentials.json，或 $XUELIANG_CREDENTIALS）",
        "where sweeps and monitors' journals are kept (default ./State, or $XUELIANG_STATE)":
            "巡检结果和监测日志的存放目录（默认 ./State，或 $XUELIANG_STATE）",
        "the language of human output (default: zh when LC_ALL, LC_MESSAGES or LANG names zh, else en)":
            "供人阅读的输出所用语言（默认：LC_ALL、LC_MESSAGES 或 LANG 指定 zh 时为 zh，否则为 en）",

        // A camera's record (register, update).
        "the village or community (12-digit code)": "所属村（社区），12 位区划代码",
        "move the camera to this village": "将摄像机移至此村（社区）",
        "refuse records with gaps (missing fields of 一机一档) too, not only wrong ones":
            "不仅拒绝有错误的档案，也拒绝有缺项（一机一档缺少字段）的档案",
        "point name (点位名称)": "点位名称",
        "public (雪亮) or citizen (守望)": "公共（雪亮）或社会（守望）",
        "pending (default), active or retired": "pending（待审核，默认）、active（在用）或 retired（停用）",
        "WGS-84 latitude": "纬度（WGS-84）",
        "WGS-84 longitude": "经度（WGS-84）",
        "address": "地址",
        "direction watched (监视方位): east, …, southwest, 1-8 or 东…西南": "监视方位：east、…、southwest，1-8 或 东…西南",
        "GB/T 28181 position type 1-10": "GB/T 28181 位置类型 1-10",
        "police station (派出所), if not the village's": "派出所（与所属村（社区）的派出所不同时填写）",
        "manufacturer": "生产厂商",
        "model": "型号",
        "builder (建设单位)": "建设单位",
        "maintainer (运维单位)": "运维单位",
        "install date": "安装日期",
        "key point ids this camera watches": "本摄像机覆盖的重点点位编号",
        "the NVR/DVR this camera is a channel of": "本摄像机作为通道所属的 NVR/DVR",
        "free tags": "自定义标签",
        "RTSP stream URL (rtsp://)": "RTSP 码流 URL（rtsp://）",
        "RTSP sub-stream URL, which the media check plays instead (rtsp://)": "RTSP 子码流 URL，视频流检测改为播放该码流（rtsp://）",
        "HTTP(S) JPEG snapshot URL": "HTTP(S) JPEG 抓图 URL",
        "HLS playlist URL": "HLS 播放列表 URL",
        "ONVIF device service URL": "ONVIF 设备服务 URL",
        "host:port for a TCP check": "TCP 检测的地址（host:port）",
        "credential profile name (never a password)": "凭据配置名（不是密码）",
        "verify TLS certificates (default yes)": "校验 TLS 证书（默认 yes）",
        "citizen camera: owner name (机主)": "社会摄像机：机主姓名",
        "citizen camera: owner phone": "社会摄像机：机主电话",
        "citizen camera: consent scope": "社会摄像机：授权范围",
        "citizen camera: consent valid until": "社会摄像机：授权有效期至",
        "citizen camera: privacy reviewer": "社会摄像机：隐私审查人",
        "citizen camera: privacy review date": "社会摄像机：隐私审查日期",
        "citizen camera: view clear of forbidden places": "社会摄像机：视野是否避开禁止拍摄的场所",
        "citizen camera: signage present": "社会摄像机：是否设有监控提示标识",

        // Lists and documents.
        "only this village or community (12-digit code)": "仅限此村（社区），12 位区划代码",
        "only this township (9-digit code)": "仅限此乡镇（街道），9 位区划代码",
        "only this county (6-digit code)": "仅限此县区，6 位区划代码",
        "only public (雪亮) or citizen (守望) cameras": "仅限公共（雪亮）或社会（守望）摄像机",
        "only cameras in this status": "仅限此状态的摄像机",
        "show owners' phone numbers in full (masked by default)": "显示机主完整电话号码（默认脱敏）",
        "show the owner's phone number in full (masked by default)": "显示机主完整电话号码（默认脱敏）",
        "print a xueliang.camera/1 document": "输出 xueliang.camera/1 文档",
        "print a xueliang.cameras/1 document": "输出 xueliang.cameras/1 文档",
        "print a xueliang.validation/1 document": "输出 xueliang.validation/1 文档",
        "print a xueliang.coverage/1 document": "输出 xueliang.coverage/1 文档",
        "print a xueliang.offline/1 document": "输出 xueliang.offline/1 文档",
        "print a xueliang.history/1 document": "输出 xueliang.history/1 文档",
        "print a xueliang.villages/1 document": "输出 xueliang.villages/1 文档",
        "print a xueliang.catalog-diff/1 document": "输出 xueliang.catalog-diff/1 文档",
        "print a xueliang.inspect/1 document": "输出 xueliang.inspect/1 文档",

        // The sweep and its settings (sweep, check, reference).
        "checks to run, e.g. rtsp,snapshot or rtsp,media (default: every check a camera has an endpoint for but media)":
            "要执行的检测项，例如 rtsp,snapshot 或 rtsp,media（默认：摄像机配置了地址的所有检测项，media 除外）",
        "cameras probed at once (default 500)": "同时检测的摄像机数（默认 500）",
        "cameras probed at once on one address, e.g. an NVR's channels (default 4)": "同一地址上同时检测的摄像机数，例如一台 NVR 的各通道（默认 4）",
        "connect timeout per transfer (default 3)": "每次传输的连接超时（默认 3 秒）",
        "total timeout per transfer (default 10)": "每次传输的总超时（默认 10 秒）",
        "time one camera's checks and retries may take together (default 20)": "单台摄像机全部检测及重试合计可用的时间（默认 20 秒）",
        "retries of a check that failed at the network level (default 0)": "检测在网络层失败时的重试次数（默认 0）",
        "HTTP redirects followed: same-host (default), any, or none":
            "跟随哪些 HTTP 重定向：same-host（仅同一主机，默认）、any（任意）或 none（不跟随）",
        "bytes all transfers in flight may hold, e.g. 2G (default: 1M for each of --concurrency, at least 512M)": "进行中的全部传输合计可占用的内存字节数，例如 2G（默认：--concurrency 每路 1M，至少 512M）",
        "longest the media check reads a stream after PLAY (default 4)": "视频流检测在 PLAY 之后读取码流的最长时间（默认 4 秒）",
        "media check: no RTP for this long is no-media or stream-stalled (default 3)":
            "视频流检测：超过此时长未收到 RTP 即判为无视频数据（no-media）或视频流中断（stream-stalled）（默认 3 秒）",
        "bits/s the media checks' open streams may take together, e.g. 500M (default: no bound)":
            "视频流检测打开的全部码流合计可占用的带宽（bits/s），例如 500M（默认：不限）",
        "print the xueliang.sweep/1 document instead of the text summary": "输出 xueliang.sweep/1 文档，而不是文字摘要",
        "also write the xueliang.sweep/1 document to FILE": "同时将 xueliang.sweep/1 文档写入 FILE",
        "do not keep the sweep document in the state directory (a monitor's journal is kept regardless)":
            "不在状态目录中保存巡检文档（监测任务的监测日志照常保存）",
        "sweep pending cameras too (an acceptance test before review); only with --no-save and not with --monitor, since the kept sweep and a monitor's journal feed the figures, which count cameras in service only":
            "同时巡检待审核的摄像机（审核前的验收测试）；只能与 --no-save 一起使用，不能与 --monitor 一起使用，因为保存的巡检结果和监测日志会计入考核指标，而指标只统计在用摄像机",
        "run a monitor definition (Monitors/NAME.json): its scope and settings; the result goes into its journal and state (debounce, flapping, frozen) and its alerts are sent":
            "按监测任务定义（Monitors/NAME.json）的范围和设置巡检；结果写入其监测日志和状态（防抖、频繁掉线、画面冻结），并发出其告警",
        "every active camera in scope with a snapshot URL": "范围内所有配置了抓图 URL 的在用摄像机",
        "record day references (default: by the local hour, day 07:00-19:00)": "保存白天参考图（默认：按本地时间判断，07:00-19:00 为白天）",
        "record night references": "保存夜间参考图",

        // The figures and the report files (coverage, report).
        "village, township (default), county, station or maintainer":
            "village（村/社区）、township（乡镇（街道），默认）、county（县区）、station（派出所）或 maintainer（运维单位）",
        "a xueliang.sweep/1 document (default: the latest sweep in the state directory)":
            "所用的 xueliang.sweep/1 文档（默认：状态目录中最近一次巡检）",
        "working cameras a village or community needs to count as covered (default 1)": "村（社区）计为已覆盖所需的正常摄像机数（默认 1）",
        "a camera clock within this many seconds is accurate (default 60)": "摄像机时钟误差在此秒数以内视为准确（默认 60）",
        "the GB/T 28181 platform's Catalog responses: adds 目录一致率 (docs/catalog.md)":
            "GB/T 28181 平台的 Catalog 目录响应：增加目录一致率（见 docs/catalog.md）",
        "availability over the monitor's whole journal instead of the last 30 kept sweeps":
            "按监测任务的全部监测日志计算可用率，而不是按最近保存的 30 次巡检",
        "with --monitor: the daily mean online rate, availability and the township ranking over the period (local days; week: the last 7 days; day, month: so far)":
            "与 --monitor 一起使用：统计期内的日均在线率、可用率和乡镇（街道）排名（按本地日期；week：最近 7 天；day、month：截至目前）",
        "one self-contained HTML page: headline figures, coverage by township, trend, blind spots, offline list":
            "单个自包含的 HTML 页面：主要指标、各乡镇（街道）覆盖率、趋势、盲区、离线清单",
        "the per-village figures, CSV in UTF-8 with BOM (opens right in Excel)": "分村（社区）指标，带 BOM 的 UTF-8 CSV（可直接用 Excel 打开）",
        "one row per offline feed, grouped by maintainer (CSV, UTF-8 with BOM)": "每路离线视频一行，按运维单位分组（CSV，带 BOM 的 UTF-8）",
        "node_exporter textfile-collector metrics, written atomically": "node_exporter textfile-collector 指标文件，原子写入",
        "trend, availability and offline-since from the monitor's journal instead of the last 30 kept sweeps":
            "趋势、可用率和离线起始时间取自监测任务的监测日志，而不是最近保存的 30 次巡检",
        "the county or city the report is for, in its title (default: its county code)": "报表所属的县区或市，显示在标题中（默认：其县区代码）",
        "the work orders' response deadline after the report, like 24h or 2d (default 24h)": "工单自报表生成起的响应时限，如 24h 或 2d（默认 24h）",

        // Monitors (watch, offline, history, history compact, check).
        "the monitor definition (Monitors/NAME.json); required": "监测任务定义（Monitors/NAME.json）；必填",
        "random delay added to each interval (default a tenth of it, at most 60 s)": "每个间隔附加的随机延迟（默认为间隔的十分之一，最多 60 秒）",
        "do not keep each sweep's document in the state directory (the monitor's journal is kept regardless)":
            "不在状态目录中保存每次巡检的文档（监测任务的监测日志照常保存）",
        "one monitor (a name, or its file Monitors/NAME.json); default: every monitor with state":
            "指定一个监测任务（任务名或其文件 Monitors/NAME.json）；默认：所有已有状态的监测任务",
        "one monitor (a name, or its file); default: every monitor with state": "指定一个监测任务（任务名或其文件）；默认：所有已有状态的监测任务",
        "one monitor (a name, or its file); default: every monitor that has seen the camera":
            "指定一个监测任务（任务名或其文件）；默认：所有检测过该摄像机的监测任务",
        "only feeds flagged at least this long, e.g. 24h or 3d": "仅限被标记至少这么久的视频，例如 24h 或 3d",
        "how many local days back, today included (default 7)": "回溯的本地日期天数，含今天（默认 7）",
        "how much history to keep, e.g. 90d (required)": "保留多长时间的历史，例如 90d（必填）",
        "judge a watched monitor's current state (a name, or its file) instead of sweeping now":
            "判断一个正在运行的监测任务（任务名或其文件）的当前状态，而不是立即巡检",
        "WARNING below this share online (default 95)": "在线率（%）低于此值时为 WARNING（默认 95）",
        "CRITICAL below this share online (default 90)": "在线率（%）低于此值时为 CRITICAL（默认 90）",
        "with --monitor: UNKNOWN when its last sweep is older (default twice its interval, if its file is found)":
            "与 --monitor 一起使用：其最近一次巡检早于此时长时为 UNKNOWN（默认为其间隔的两倍，前提是能找到其文件）",

        // Villages (villages add).
        "name (名称)": "名称",
        "village (村, default) or community (社区)": "village（村，默认）或 community（社区）",
        "township or street (乡镇街道)": "乡镇（街道）",
        "police station (派出所)": "派出所",
        "a key point that must be watched (重点点位); the list replaces the village's":
            "必须有摄像机覆盖的重点点位；此列表替换该村（社区）原有的列表",
        "cameras covering key point OLD, which the new list drops, cover NEW instead":
            "原覆盖重点点位 OLD（新列表已删去）的摄像机改为覆盖 NEW",

        // Imports and the platform's catalog (import, catalog import, catalog diff).
        "the file lists villages (code, name, kind, township, station, key_points)":
            "文件内容为村（社区）列表（code、name、kind、township、station、key_points）",
        "import the valid rows; write the rejected ones to the rejects file": "导入有效的行；被拒绝的行写入拒收文件",
        "create a pending record (一机一档) for every device not registered, in the village its CivilCode and Name give; all or nothing":
            "为每个未登记的设备建立待审核档案（一机一档），所属村（社区）由其 CivilCode 和 Name 确定；要么全部写入，要么一条都不写入",
        "with --register: check and report, write nothing": "与 --register 一起使用：只检查并报告，不写入任何内容",
        "positions further apart than this are a mismatch (default 100; WGS-84 assumed)":
            "位置相距超过此距离（米）即为不一致（默认 100；按 WGS-84 坐标计算）",
        "a xueliang.sweep/1 document for the false-online list (default: the latest sweep in the state directory)":
            "用于列出虚假在线设备的 xueliang.sweep/1 文档（默认：状态目录中最近一次巡检）",
        "Import cameras (or, with --villages, villages) from an .xlsx workbook or a CSV/TSV file in UTF-8 or GB18030. All or nothing; changes to cameras already registered need --update.":
            "从 .xlsx 工作簿或 UTF-8、GB18030 编码的 CSV/TSV 文件导入摄像机（加 --villages 时导入村（社区））。要么全部导入，要么一条都不导入；修改已登记的摄像机须加 --update。",
        "Write cameras (or, with --villages, villages) in the columns 'import' reads: an .xlsx workbook, or CSV for Excel.":
            "按 'import' 读取的列导出摄像机（加 --villages 时导出村（社区））：.xlsx 工作簿，或供 Excel 打开的 CSV。",
        "an empty cell clears its field (by default it keeps the registry's value)": "空单元格清除对应字段（默认保留台账中的原值）",
        "apply changes to cameras already in the registry (refused without it, with what would change)":
            "修改台账中已有的摄像机（不加此选项时拒绝导入，并列出将要发生的变更）",
        "check and show what would change, field by field; write nothing": "只检查并逐字段列出将要发生的变更；不写入任何内容",
        "maintainer's phone (运维电话), for work orders; masked in output": "运维电话，用于工单；输出时脱敏",
        "the sheet of an .xlsx workbook to read (default: the first one not hidden)": "要读取的 .xlsx 工作表（默认：第一个未隐藏的工作表）",
        "where --skip-invalid writes rejected rows (default NAME.rejected.csv next to NAME.csv)":
            "--skip-invalid 写入被拒绝行的拒收文件（默认为 NAME.csv 同目录下的 NAME.rejected.csv）",
        "write owners' phone numbers in full (masked by default; a masked number imports as the record's own)":
            "完整写出机主电话（默认脱敏；脱敏的号码导入时按档案原号码处理）",
        "write the villages (code, name, kind, township, station, key_points) instead of the cameras":
            "导出村（社区）（区划代码、名称、类型、乡镇、派出所、重点点位），而不是摄像机",
    ]
}
