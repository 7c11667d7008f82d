import ArgumentParser
import CockpitStore
import Foundation

/// `cockpit ingest`: one CSV file into the store, good rows in, bad rows kept with their reason.
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a CSV file into the store.",
        discussion: """
            Columns are found by name in the header row, in any order.
              units:    id,name,tier,parent[,code]      tier: district, street, community, park
              calendar: date,kind                       kind: holiday or workday
              cases:    id,unit,department,item_code,item_name,channel,accepted_at,promised_days,
                        status,completed_at,suspensions  (suspensions: FROM/TO;FROM/TO, open: FROM/)
              tickets:  id,hall,zone,service,issued_at,called_at,window,finished_at,status
              directory: provider,dataset,interface,share_type[,name]
              calls:    interface,provider,consumer,at,ok,latency_ms
              quality:  id,dataset,provider,kind,opened_at,due_at,resolved_at   (due_at may be empty)
              ratings:  case,level,channel,rated_at,rectified_at   (the case must be stored already)
              items:    department,item_code,item_name,realised,online
              series:   unit,metric,at,value
            A case pushed again with the same id replaces the earlier one. Bad rows are rejected
            with their line and reason, kept in the store's rejects table, and do not stop the rest.
            Exit status: 0 done (1 with --strict if anything was rejected), 2 the file cannot be read.
            """
    )

    @Option(help: "The SQLite store (created if missing).")
    var db: String

    @Option(help: "What the file holds: units, calendar, cases, tickets, directory, calls, quality, ratings, items or series.")
    var kind: String

    @Flag(help: "Exit 1 if any row was rejected.")
    var strict = false

    @Option(help: "Rows per transaction.")
    var batch = 50_000

    @Argument(help: "The CSV file.")
    var file: String

    func run() throws {
        guard let k = IngestKind(rawValue: kind) else {
            fail("--kind must be one of \(IngestKind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(kind)'")
        }
        guard FileManager.default.isReadableFile(atPath: file) else { fail("\(file): cannot read the file") }
        let store: CockpitStore
        do { store = try CockpitStore(path: db, mode: .write) } catch { fail("\(db): \(error)") }
        let showProgress = isatty(STDERR_FILENO) != 0
        let started = Date()
        let report: IngestReport
        do {
            report = try store.ingest(kind: k, file: file, batchSize: max(1, batch)) { p in
                guard showProgress else { return }
                let secs = max(0.001, Date().timeIntervalSince(started))
                let rate = Double(p.rows) / secs
                var line = String(format: "\r%@ %d rows  %.0f rows/s", k.rawValue, p.rows, rate)
                if p.bytesTotal > 0 {
                    let frac = min(1, Double(p.bytesRead) / Double(p.bytesTotal))
                    let eta = frac > 0 ? secs / frac - secs : 0
                    line += String(format: "  %3.0f%%  ETA %.0f s", frac * 100, eta)
                }
                FileHandle.standardError.write(Data(line.utf8))
            }
        } catch let e as IngestFileError {
            if showProgress { printErr("") }
            fail(e.description)
        }
        if showProgress { printErr("\r\u{1B}[K" + String(format: "%@: %d rows in %.2f s (%.0f rows/s)", k.rawValue,
                                                              report.accepted + report.rejected, report.seconds,
                                                              Double(report.accepted + report.rejected) / max(0.001, report.seconds))) }
        for w in report.warnings { printErr("warning: " + w) }
        for r in report.reasons.prefix(10) { printErr("rejected: " + r) }
        if report.rejected > 10 { printErr("… \(report.rejected - 10) more rejected rows are in the store's rejects table") }
        print("\(report.accepted) accepted, \(report.rejected) rejected")
        // One history sample as of now, so trends move with each ingest (no units yet: nothing to record).
        if let tree = try? store.tree() {
            do { try store.recordHistory(tree: tree, at: Int64(Date().timeIntervalSince1970)) } catch { printErr("warning: history not recorded: \(error)") }
        }
        if strict, report.rejected > 0 { Foundation.exit(1) }
    }
}
