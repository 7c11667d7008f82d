import CockpitCore

/// Every word the screens say, in Chinese (default) and English.
public struct Strings: Sendable {
    public enum Language: String, Sendable, CaseIterable { case zh, en }
    public let language: Language

    public init(_ language: Language) { self.language = language }

    /// From `LANG`/`LC_ALL`: English only when the locale says so explicitly.
    public static func language(fromEnvironment env: [String: String]) -> Language {
        let l = env["LC_ALL"] ?? env["LC_MESSAGES"] ?? env["LANG"] ?? ""
        return l.hasPrefix("en") ? .en : .zh
    }

    private func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }

    public var open: String { t("在办", "Open") }
    public var overdue: String { t("超期", "Overdue") }
    public var warning: String { t("临期", "Due soon") }
    public var suspended: String { t("挂起", "Suspended") }
    public var completed: String { t("本期办结", "Completed") }
    public var completedOverdue: String { t("超期办结", "Late done") }
    public var onTimeRate: String { t("按时率", "On time") }
    public var name: String { t("名称", "Name") }
    public var caseID: String { t("办件编号", "Case") }
    public var item: String { t("事项", "Item") }
    public var department: String { t("部门", "Department") }
    public var deadline: String { t("办理期限", "Deadline") }
    public var daysOver: String { t("超期天数", "Days over") }
    public var overdueCases: String { t("超期办件", "Overdue cases") }
    public var mostOverdue: String { t("超期最久的办件", "Most overdue cases") }
    public var unitColumn: String { t("所属", "Unit") }
    public var noOverdueCases: String { t("没有超期办件", "No overdue cases") }
    public var asOf: String { t("截至", "as of") }
    public var data: String { t("数据", "data") }
    /// "（12 分钟前）": how old the data is.
    public func age(seconds: Int64) -> String {
        let m = seconds / 60, h = m / 60, d = h / 24
        if d > 0 { return t("（\(d) 天前）", " (\(d) d ago)") }
        if h > 0 { return t("（\(h) 小时前）", " (\(h) h ago)") }
        return t("（\(m) 分钟前）", " (\(m) min ago)")
    }
    public var noData: String { t("暂无数据", "no data yet") }
    public var select: String { t("选择", "select") }
    public var drill: String { t("下钻", "drill down") }
    public var back: String { t("返回", "back") }
    public var quit: String { t("退出", "quit") }
    public var help: String { t("帮助", "help") }
    public var filterLabel: String { t("筛选", "filter") }
    public var helpTitle: String { t("按键说明（按任意键关闭）", "Keys (any key closes)") }
    /// (keys, what they do), in the order the help overlay lists them.
    public var helpLines: [(String, String)] {
        [("↑ ↓  k j", t("选择上一行、下一行", "select the row above / below")),
         ("PgUp PgDn  g G", t("翻页、到顶、到底", "page up / down, first / last row")),
         ("Enter  →  l", t("下钻：区 → 街道 → 社区、园区", "drill down: district → street → community / park")),
         ("Esc  Backspace  ←  h", t("返回上一级", "back up one level")),
         ("Tab", t("在面板之间切换（放不下的面板也在其中）", "move between panels (including those that did not fit)")),
         ("s", t("按下一列排序", "sort the table by the next column")),
         ("1 … 8", t("直接进入第 N 个街道", "jump to the N-th street")),
         ("/", t("筛选列表（名称、拼音首字母或编号），Esc 清除", "filter the list (name, pinyin initials or id), Esc clears")),
         (":", t("命令：street 武林、unit ID、layout 名称、up、top、q", "command: street 武林, unit ID, layout NAME, up, top, q")),
         ("r", t("立即刷新数据", "refresh the data now")),
         ("Ctrl-L", t("重绘整个屏幕", "repaint the whole screen")),
         ("?  F1", t("显示本帮助", "show this help")),
         ("q", t("退出", "quit"))]
    }
    public var scroll: String { t("滚动", "scroll") }
    public func noLayout(_ tier: String) -> String { t("没有“\(tier)”的布局文件", "no layout for '\(tier)'") }
    public var noPanelData: String { t("无数据", "no data") }
    public var panels: String { t("切换", "panels") }
    public var sort: String { t("排序", "sort") }
    public func hiddenPanels(_ n: Int) -> String { t("另有 \(n) 个面板", "+\(n) panels") }
    public var target: String { t("目标", "target") }
    public var waiting: String { t("等候", "waiting") }
    public var longestWait: String { t("最长", "longest") }
    public var idle: String { t("空闲", "idle") }
    public var sources: String { t("数据源", "sources") }
    public var sourcesOK: String { t("数据源正常", "sources OK") }
    public func staleSince(_ time: String) -> String { t("自 \(time) 未更新", "stale since \(time)") }
    public func zone(_ z: HallBoard.Zone) -> String {
        switch z {
        case .intake: t("收件", "intake")
        case .approval: t("审批", "approval")
        case .delivery: t("出件", "delivery")
        }
    }
    public func alertLevel(_ l: AlertItem.Level) -> String { l == .red ? t("红", "red") : t("黄", "yellow") }
    public func alertState(_ s: AlertItem.State) -> String {
        switch s {
        case .open: t("未处理", "open")
        case .acknowledged: t("已确认", "acknowledged")
        case .resolved: t("已解决", "resolved")
        case .closed: t("已关闭", "closed")
        }
    }

    /// The label of a metric (DESIGN.md §4) for headers and tiles; a series or unknown name as it is.
    public func metricLabel(_ metric: String) -> String {
        let parts = metric.split(separator: "@", maxSplits: 1).map(String.init)
        var base = parts[0]
        let label: String
        switch base {
        case "cases.open": label = open
        case "cases.overdue": label = overdue
        case "cases.warning": label = warning
        case "cases.suspended": label = suspended
        case "cases.abnormal": label = t("异常", "Abnormal")
        case "cases.completed": label = t("办结", "Done")
        case "cases.completed_overdue": label = completedOverdue
        case "cases.on_time_rate": label = onTimeRate
        case "queue.waiting": label = t("等候人数", "Waiting")
        case "queue.longest_wait_s": label = t("最长等候", "Longest wait")
        case "queue.avg_wait_s": label = t("平均等候", "Avg wait")
        case "queue.avg_handle_s": label = t("平均办理", "Avg handling")
        case "queue.served": label = t("已服务", "Served")
        case "queue.no_show_rate": label = t("过号率", "No-show")
        case "share.calls": label = t("调用次数", "Calls")
        case "share.success_rate": label = t("调用成功率", "Success")
        case "share.p95_latency_ms": label = t("P95 时延", "p95 latency")
        case "share.quality_open": label = t("质量问题", "Quality issues")
        case "rating.count": label = t("评价数", "Ratings")
        case "rating.poor": label = t("差评", "Poor")
        default:
            if base.hasPrefix("series.") { base.removeFirst("series.".count) }
            label = base
        }
        guard parts.count == 2 else { return label }
        let part = HallBoard.Zone(rawValue: parts[1]).map(zone) ?? parts[1]
        return label + "·" + part
    }
    public func ofOpen(_ pct: String) -> String { t("占比 \(pct)", "\(pct) of open") }
    public func inWindow(_ n: String) -> String { t("办结 \(n)", "\(n) done") }
    public func onTime(_ pct: String) -> String { t("按时 \(pct)", "\(pct) on time") }
    public func daysSuffix(_ n: Int) -> String { t("\(n) 天", "\(n) d") }

    public func compare(_ tier: OrgUnit.Tier) -> String {
        switch tier {
        case .district: t("各街道对比", "Streets compared")
        case .street: t("各社区、园区对比", "Communities and parks compared")
        case .community, .park: t("对比", "Compared")
        }
    }

    public func tooSmall(needW: Int, needH: Int, w: Int, h: Int) -> String {
        t("终端太小（需要 \(needW)×\(needH)，当前 \(w)×\(h)）", "terminal too small (need \(needW)×\(needH), have \(w)×\(h))")
    }

    /// The case roll-ups of a bulk load are not written yet: the case figures are not current.
    public func caseFiguresPending(since: Int64, interrupted: Bool) -> String {
        interrupted
            ? t("注意：\(LocalTime.short(since)) 起的批量导入中断，办件汇总待重建（再次导入办件即重建），办件数字不是当前值",
                "note: the bulk load of cases since \(LocalTime.short(since)) was interrupted; case figures are not current until the next cases ingest rebuilds them")
            : t("注意：\(LocalTime.short(since)) 起批量导入办件中，导入结束才写入汇总，办件数字不是当前值",
                "note: bulk load of cases since \(LocalTime.short(since)); case figures are not current until it ends")
    }

    public func outsideCalendar(_ n: Int) -> String {
        t("注意：\(n) 件办件的期限超出工作日历年份，按周末规则估算", "note: \(n) deadlines fall outside the calendar's years (weekday rule used)")
    }

    public func atOutsideCalendar(_ day: String) -> String {
        t("注意：\(day) 不在工作日历年份内", "note: \(day) is outside the calendar's years")
    }

    public func tier(_ tier: OrgUnit.Tier) -> String {
        switch tier {
        case .district: t("区", "district")
        case .street: t("街道", "street")
        case .community: t("社区", "community")
        case .park: t("园区", "park")
        }
    }
}

/// Numbers as people read them: integers with no decimals, rates as percentages, "—" for none.
public enum Format {
    public static func count(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "—" }
        // Past Int's range (odd series data) the number is printed as it is rather than trapping.
        guard abs(v) < 9e15 else { return String(v) }
        return String(Int(v.rounded()))
    }

    public static func percent(_ v: Double?, digits: Int = 1) -> String {
        guard let v, v.isFinite else { return "—" }
        let scaled = (v * 100 * pow10(digits)).rounded() / pow10(digits)
        var s = String(scaled)
        if digits == 0, s.hasSuffix(".0") { s.removeLast(2) }
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
        } else if digits > 0 {
            s += "." + String(repeating: "0", count: digits)
        }
        return s + "%"
    }

    private static func pow10(_ d: Int) -> Double { var r = 1.0; for _ in 0..<d { r *= 10 }; return r }
}
