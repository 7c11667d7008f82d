import CockpitCore

/// The duty officer's incident screen: open alerts by level and age, the figures and cases
/// behind the selected one, its timeline from the audit log, and an input line for actions.
public struct DutyScreen: Sendable {
    public let options: RenderOptions
    public init(options: RenderOptions) { self.options = options }

    var zh: Bool { options.strings.language == .zh }
    func t(_ zh: String, _ en: String) -> String { self.zh ? zh : en }

    public func render(model: DutyModel, data: DutyData, width: Int, height: Int) -> Canvas {
        var c = Canvas(width: width, height: height, ambiguousWide: options.ambiguousWide)
        guard width >= RenderOptions.minWidth, height >= RenderOptions.minHeight else {
            c.put(options.strings.tooSmall(needW: RenderOptions.minWidth, needH: RenderOptions.minHeight, w: width, h: height),
                  x: 0, y: 0, maxWidth: width)
            return c
        }
        let (top, rest) = c.bounds.takeTop(1)
        let (body, bottom) = rest.takeBottom(1)
        title(&c, top, model: model, data: data)
        let listHeight = min(max(data.incidents.count, 1) + 3, max(7, body.height / 2))
        let (listRect, detailRect) = body.takeTop(listHeight)
        list(&c, listRect, model: model, data: data)
        let cols = detailRect.columns(2, gap: 0)
        let selected = model.selectedIndex(in: data).map { data.incidents[$0] }
        detail(&c, cols[0], incident: selected, data: data)
        timeline(&c, cols[1], incident: selected, data: data)
        footer(&c, bottom, model: model)
        return c
    }

    func title(_ c: inout Canvas, _ r: Rect, model: DutyModel, data: DutyData) {
        c.fill(r, style: Style(.title, reverse: true))
        let open = data.incidents.filter { $0.alert.state == .open }.count
        let red = data.incidents.filter { $0.alert.level == .red }.count
        let left = " " + t("值班", "Duty") + " · " + model.officer
        c.put(left, x: r.x, y: r.y, style: Style(.title, bold: true, reverse: true), maxWidth: r.width)
        var right = t("红 \(red)  黄 \(data.incidents.count - red)  待确认 \(open)", "red \(red)  yellow \(data.incidents.count - red)  unacknowledged \(open)")
        right += "  " + options.strings.asOf + " " + LocalTime.short(data.at)
        if model.muted { right = t("［静音］", "[muted]") + "  " + right }
        right += " "
        let w = Text.width(right, ambiguousWide: options.ambiguousWide)
        let lw = Text.width(left, ambiguousWide: options.ambiguousWide)
        if lw + w + 1 <= r.width { c.put(right, x: r.maxX - w, y: r.y, style: Style(.title, reverse: true)) }
    }

    func levelWord(_ l: AlertItem.Level) -> String { l == .red ? t("红", "RED") : t("黄", "YEL") }
    public func stateWord(_ s: AlertItem.State) -> String {
        switch s {
        case .open: t("待确认", "open")
        case .acknowledged: t("已确认", "acked")
        case .resolved: t("已恢复", "resolved")
        case .closed: t("已关闭", "closed")
        }
    }

    /// "45分", "3时05分", "2天4时": how long an alert has been open.
    func age(_ seconds: Int64) -> String {
        let m = max(0, seconds) / 60, h = m / 60, d = h / 24
        if d > 0 { return t("\(d)天\(h % 24)时", "\(d)d\(h % 24)h") }
        if h > 0 { return t("\(h)时\(m % 60 < 10 ? "0" : "")\(m % 60)分", "\(h)h\(m % 60 < 10 ? "0" : "")\(m % 60)m") }
        return t("\(m)分", "\(m)m")
    }

    func list(_ c: inout Canvas, _ r: Rect, model: DutyModel, data: DutyData) {
        c.box(r, title: t("告警", "Alerts") + " (\(data.incidents.count))", ascii: options.ascii)
        let inner = r.inset(dx: 1, dy: 1)
        guard !data.incidents.isEmpty else {
            c.put(" " + t("没有待处理的告警", "No open alerts"), x: inner.x, y: inner.y, style: Style(.green), maxWidth: inner.width)
            return
        }
        // Columns: marker, level, id, age, state, value, then title and unit path share the rest.
        let fixed = 2 + 5 + 7 + 9 + 8 + 10
        let flexible = max(10, inner.width - fixed)
        let titleW = flexible * 2 / 5, pathW = flexible - titleW
        let header = "  " + Text.pad(t("级别", "Lvl"), 5) + Text.pad(t("编号", "No."), 7) + Text.pad(t("持续", "Age"), 9)
            + Text.pad(t("状态", "State"), 8) + Text.pad(t("告警", "Alert"), titleW - 1) + " " + Text.pad(t("单位", "Unit"), pathW)
            + Text.pad(t("数值", "Value"), 10, align: .right)
        c.put(header, x: inner.x, y: inner.y, style: Style(.grey), maxWidth: inner.width)
        let rows = inner.height - 1
        let sel = model.selectedIndex(in: data) ?? 0
        let first = max(0, min(sel - rows + 1, data.incidents.count - rows))
        for (row, i) in (first..<min(data.incidents.count, first + rows)).enumerated() {
            let inc = data.incidents[i], a = inc.alert
            let y = inner.y + 1 + row
            let isSel = i == sel
            var who = ""
            if let by = a.acknowledgedBy { who = " " + by }
            if let to = a.assignedTo { who += " →" + to }
            let line = (isSel ? "> " : "  ") + Text.pad(levelWord(a.level), 5) + Text.pad("#\(a.id)", 7)
                + Text.pad(age(data.at - a.openedAt), 9) + Text.pad(stateWord(a.state), 8)
                + Text.pad(inc.title + who, titleW - 1) + " " + Text.pad(inc.unitPath, pathW)
                + Text.pad(Self.value(a.value, metric: a.metric), 10, align: .right)
            let tint: Tint = a.level == .red ? .red : .yellow
            c.put(Text.pad(line, inner.width), x: inner.x, y: y,
                  style: Style(tint, bold: a.state == .open, reverse: isSel), maxWidth: inner.width)
        }
    }

    static func value(_ v: Double?, metric: String) -> String {
        guard let v, v.isFinite else { return "—" }
        if metric.contains("rate") { return Format.percent(v) }
        return v == v.rounded() ? Format.count(v) : String((v * 100).rounded() / 100)
    }

    func detail(_ c: inout Canvas, _ r: Rect, incident: DutyData.Incident?, data: DutyData) {
        c.box(r, title: t("依据", "Behind it") + (incident.map { " #\($0.alert.id)" } ?? ""), ascii: options.ascii)
        let inner = r.inset(dx: 2, dy: 1)
        guard let inc = incident, inner.height > 0 else { return }
        var y = inner.y
        func line(_ s: String, _ style: Style = .plain) {
            guard y < inner.maxY else { return }
            c.put(s, x: inner.x, y: y, style: style, maxWidth: inner.width)
            y += 1
        }
        line(inc.unitPath, .bold)
        line(inc.title + (inc.thresholds.map { "  " + $0 } ?? ""), Style(.grey))
        for (name, v) in data.figures {
            let mark = name == inc.alert.metric ? "▸ " : "  "
            line(mark + Text.pad(name, max(1, inner.width - 12)) + Text.pad(Self.value(v, metric: name), 10, align: .right),
                 name == inc.alert.metric ? Style(inc.alert.level == .red ? .red : .yellow, bold: true) : .plain)
        }
        if let note = inc.alert.note { line(t("备注：", "Note: ") + note, Style(.cyan)) }
        guard !data.cases.isEmpty else { return }
        line(t("办件（共 \(data.casesTotal) 件）", "Cases (\(data.casesTotal) in all)"), Style(.grey))
        for k in data.cases {
            let over = k.daysOver > 0 ? options.strings.daysSuffix(k.daysOver) : LocalTime.short(k.deadline - 1)
            let unit = data.unitNames[k.unit] ?? k.unit
            // Narrow: the case id, item and days; wide enough: its unit too.
            let head = Text.pad(k.id, 16) + (inner.width >= 50 ? Text.pad(unit, 12) : "")
            let tail = Text.pad(over, 8, align: .right)
            line(head + Text.pad(k.itemName, max(1, inner.width - Text.width(head) - 8)) + tail)
        }
    }

    func actionWord(_ a: AuditEntry.Action) -> String {
        switch a {
        case .opened: t("告警", "opened")
        case .reopened: t("再次告警", "re-opened")
        case .level: t("级别变化", "level")
        case .resolved: t("数据恢复", "resolved")
        case .acknowledged: t("确认", "acknowledged")
        case .noted: t("备注", "note")
        case .assigned: t("指派", "assigned")
        case .closed: t("关闭", "closed")
        case .reopenedByHand: t("人工重开", "re-opened")
        }
    }

    func timeline(_ c: inout Canvas, _ r: Rect, incident: DutyData.Incident?, data: DutyData) {
        c.box(r, title: t("时间线", "Timeline"), ascii: options.ascii)
        let inner = r.inset(dx: 2, dy: 1)
        guard incident != nil, inner.height > 0 else { return }
        // The newest entries when they do not all fit.
        let shown = data.timeline.suffix(inner.height)
        for (i, e) in shown.enumerated() {
            let who = e.actor == AuditEntry.rulesActor ? t("规则", "rules") : e.actor
            var s = String(LocalTime.short(e.at).suffix(11)) + " " + who + " " + actionWord(e.action)
            if let l = e.level, e.action == .opened || e.action == .reopened || e.action == .level { s += " " + levelWord(l) }
            if let v = e.value, e.actor == AuditEntry.rulesActor { s += " " + Self.value(v, metric: incident!.alert.metric) }
            if let n = e.note { s += " " + n }
            let style: Style = e.actor == AuditEntry.rulesActor ? Style(.grey) : .plain
            c.put(s, x: inner.x, y: inner.y + i, style: style, maxWidth: inner.width)
        }
    }

    func prompt(_ k: DutyCommand.Kind) -> String {
        switch k {
        case .acknowledge: t("确认（备注可空）", "acknowledge (note, optional)")
        case .note: t("备注", "note")
        case .assign: t("指派给", "assign to")
        case .close: t("关闭原因", "close because")
        }
    }

    func footer(_ c: inout Canvas, _ r: Rect, model: DutyModel) {
        if let input = model.input {
            let s = " " + prompt(input.kind) + "> " + input.text + "█"
            c.put(Text.pad(s, r.width), x: r.x, y: r.y, style: Style(.cyan, bold: true), maxWidth: r.width)
            return
        }
        if let m = model.message {
            c.put(" " + m, x: r.x, y: r.y, style: Style(.cyan), maxWidth: r.width)
            return
        }
        let keys = t("↑↓ 选择  a 确认  n 备注  s 指派  c 关闭  m 静音  r 刷新  q 退出",
                     "↑↓ select  a ack  n note  s assign  c close  m mute  r refresh  q quit")
        c.put(keys, x: r.x, y: r.y, style: Style(.grey), maxWidth: r.width)
    }
}
