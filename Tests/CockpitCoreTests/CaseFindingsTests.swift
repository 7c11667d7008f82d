@testable import CockpitCore
import XCTest

/// Each abnormal rule on a hand-made case; times and working days are counted by hand from the
/// 2026 calendar (Oct 1–7 off, Sat Oct 10 a working day).
final class CaseFindingsTests: XCTestCase {
    let cal = Fx.cal2026

    func push(_ at: String, _ status: ServiceCase.Status, unit: String = "wulin", department: String = "市场监管", line: Int) -> CasePush {
        CasePush(pushedAt: Fx.at(at), status: status, unit: unit, department: department, source: "cases.csv", line: line)
    }

    func codes(_ c: ServiceCase, _ pushes: [CasePush]? = nil, at: String = "2026-10-14 10:00") -> [String] {
        let p = pushes ?? [CasePush(pushedAt: c.acceptedAt, status: c.status, unit: c.unit, department: c.department, source: "cases.csv", line: 2)]
        return CaseAbnormal.findings(current: c, pushes: p, at: Fx.at(at), calendar: cal).map(\.code.rawValue)
    }

    func testAPlainCaseHasNoFinding() {
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed, completedAt: Fx.at("2026-10-13 15:00"))
        XCTAssertEqual(codes(c), [])
    }

    func testCompletedBeforeAccepted() {
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed, completedAt: Fx.at("2026-10-09 15:00"))
        let f = CaseAbnormal.findings(current: c, pushes: [push("2026-10-12 09:00", .completed, line: 7)], at: Fx.at("2026-10-14 10:00"), calendar: cal)
        XCTAssertEqual(f.map(\.code), [.completedBeforeAccepted])
        XCTAssertEqual(f[0].field, "completed_at")
        XCTAssertEqual(f[0].line, 7)
        XCTAssertEqual(f[0].source, "cases.csv")
        XCTAssertEqual(f[0].level, .error)
        XCTAssertEqual(f[0].code.reasonZh, "办结时间早于受理时间")
    }

    func testCompletedOrRejectedWithoutCompletionTime() {
        for s in [ServiceCase.Status.completed, .rejected] {
            let c = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: s)
            XCTAssertEqual(codes(c), ["ABN02_CLOSED_WITHOUT_COMPLETION_TIME"], "\(s)")
        }
        // Withdrawn cases carry no completion time: nothing wrong.
        XCTAssertEqual(codes(Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .withdrawn)), [])
    }

    func testSuspendedWithoutOpenSuspension() {
        let none = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .suspended)
        XCTAssertEqual(codes(none), ["ABN03_SUSPENDED_WITHOUT_OPEN_SUSPENSION"])
        let ended = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .suspended,
                                   suspensions: [Fx.susp("2026-10-12 10:00", "2026-10-13 10:00")])
        XCTAssertEqual(codes(ended), ["ABN03_SUSPENDED_WITHOUT_OPEN_SUSPENSION"])
        let fine = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .suspended,
                                  suspensions: [Fx.susp("2026-10-12 10:00", nil)])
        XCTAssertEqual(codes(fine), [])
    }

    func testSuspensionOpenPastTheCasesEnd() {
        let open = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed,
                                  completedAt: Fx.at("2026-10-13 15:00"), suspensions: [Fx.susp("2026-10-12 10:00", nil)])
        XCTAssertEqual(codes(open), ["ABN04_SUSPENSION_OPEN_PAST_END"])
        let after = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed,
                                   completedAt: Fx.at("2026-10-13 15:00"), suspensions: [Fx.susp("2026-10-12 10:00", "2026-10-13 16:00")])
        XCTAssertEqual(codes(after), ["ABN04_SUSPENSION_OPEN_PAST_END"])
        // Ending exactly at completion is fine.
        let atEnd = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed,
                                   completedAt: Fx.at("2026-10-13 15:00"), suspensions: [Fx.susp("2026-10-12 10:00", "2026-10-13 15:00")])
        XCTAssertEqual(codes(atEnd), [])
        let withdrawn = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .withdrawn,
                                       suspensions: [Fx.susp("2026-10-12 10:00", nil)])
        XCTAssertEqual(codes(withdrawn), ["ABN04_SUSPENSION_OPEN_PAST_END"])
    }

    func testStatusBackwardsBetweenTwoPushesNamesTheLaterPush() {
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .accepted)
        // Given out of order: the rule orders them by push time.
        let pushes = [push("2026-10-13 11:00", .accepted, line: 9), push("2026-10-12 09:00", .accepted, line: 2),
                      push("2026-10-12 15:00", .inReview, line: 5)]
        let f = CaseAbnormal.findings(current: c, pushes: pushes, at: Fx.at("2026-10-14 10:00"), calendar: cal)
        XCTAssertEqual(f.map(\.code), [.statusBackwards])
        XCTAssertEqual(f[0].line, 9)
        XCTAssertEqual(f[0].field, "status")
        XCTAssertTrue(f[0].detail.contains("in_review"), f[0].detail)
        // In review ↔ suspended is no step back; completed → anything else is.
        XCTAssertEqual(codes(c, [push("2026-10-12 09:00", .suspended, line: 2), push("2026-10-13 09:00", .inReview, line: 3)]), [])
        XCTAssertEqual(codes(c, [push("2026-10-12 09:00", .completed, line: 2), push("2026-10-13 09:00", .rejected, line: 3)]),
                       ["ABN05_STATUS_BACKWARDS"])
        // Forward moves only: nothing.
        XCTAssertEqual(codes(c, [push("2026-10-12 09:00", .accepted, line: 2), push("2026-10-12 10:00", .inReview, line: 3),
                                 push("2026-10-13 10:00", .completed, line: 4)]), [])
    }

    func testUnitOrDepartmentChangedBetweenPushes() {
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .inReview)
        let f = CaseAbnormal.findings(current: c, pushes: [push("2026-10-12 09:00", .accepted, unit: "tianshui", line: 2),
                                                             push("2026-10-12 10:00", .inReview, department: "民政", line: 3)],
                                      at: Fx.at("2026-10-14 10:00"), calendar: cal)
        XCTAssertEqual(f.map(\.code), [.unitChanged, .departmentChanged])
        XCTAssertEqual(f.map(\.line), [3, 3])
        XCTAssertEqual(f.map(\.field), ["unit", "department"])
    }

    func testATimeInTheFutureOfAt() {
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed, completedAt: Fx.at("2026-10-14 10:00:01"))
        XCTAssertEqual(codes(c, at: "2026-10-14 10:00"), ["ABN08_FUTURE_TIME"])
        XCTAssertEqual(codes(c, at: "2026-10-14 10:00:01"), [])
        // A push time counts too.
        let d = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .accepted)
        let f = CaseAbnormal.findings(current: d, pushes: [push("2026-10-15 09:00", .accepted, line: 4)], at: Fx.at("2026-10-14 10:00"), calendar: cal)
        XCTAssertEqual(f.map(\.code), [.futureTime])
        XCTAssertEqual(f[0].field, "pushed_at")
    }

    func testStalledAfterTenWorkingDaysWithoutChange() {
        // Accepted Mon Sep 28. Working days after it: Sep 29, 30, (Oct 1–7 off), Oct 8, 9, 10 (Sat, working),
        // 12, 13, 14, 15, 16 → the 10th is Fri Oct 16: stalled from Sat Oct 17 00:00.
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-09-28 09:00"), promisedDays: 20, status: .accepted)
        XCTAssertEqual(codes(c, at: "2026-10-17 00:00"), [])
        XCTAssertEqual(codes(c, at: "2026-10-17 00:00:01"), ["ABN09_STALLED"])
        XCTAssertEqual(CaseAbnormal.timeKeys(current: c, pushes: [push("2026-09-28 09:00", .accepted, line: 2)], calendar: cal).stallDay,
                       Fx.d("2026-10-16"))
        // A status change on Fri Oct 9 restarts the count: Oct 10 (Sat, working), 12–16, 19–22 → Thu Oct 22.
        let later = [push("2026-09-28 09:00", .accepted, line: 2), push("2026-10-09 11:00", .inReview, line: 3)]
        var moved = c
        moved.status = .inReview
        XCTAssertEqual(codes(moved, later, at: "2026-10-23 00:00"), [])
        XCTAssertEqual(codes(moved, later, at: "2026-10-23 00:00:01"), ["ABN09_STALLED"])
        // A push that changes nothing does not.
        let same = [push("2026-09-28 09:00", .accepted, line: 2), push("2026-10-09 11:00", .accepted, line: 3)]
        XCTAssertEqual(codes(c, same, at: "2026-10-17 00:00:01"), ["ABN09_STALLED"])
        // Closed cases never stall.
        let done = Fx.serviceCase(acceptedAt: Fx.at("2026-09-28 09:00"), promisedDays: 20, status: .withdrawn)
        XCTAssertEqual(codes(done, at: "2026-11-30 10:00"), [])
    }

    func testFlagsOutsideWorkingHoursAndImplausiblyFast() {
        // Hall acceptance on a Sunday, and at 17:30 sharp (the end of the hours).
        XCTAssertEqual(codes(Fx.serviceCase(acceptedAt: Fx.at("2026-10-11 10:00"), promisedDays: 3, status: .accepted)),
                       ["FLG01_OUTSIDE_WORKING_HOURS"])
        XCTAssertEqual(codes(Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 17:30"), promisedDays: 3, status: .accepted)),
                       ["FLG01_OUTSIDE_WORKING_HOURS"])
        // Sat Oct 10 is a working day; 08:30 is inside.
        XCTAssertEqual(codes(Fx.serviceCase(acceptedAt: Fx.at("2026-10-10 08:30"), promisedDays: 3, status: .accepted)), [])
        // Completed at 22:00.
        XCTAssertEqual(codes(Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed,
                                            completedAt: Fx.at("2026-10-12 22:00"))), ["FLG01_OUTSIDE_WORKING_HOURS"])
        // 9 min 59 s for a 3-day item; 59 s for an immediate one; 10 min is plausible.
        XCTAssertEqual(codes(Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed,
                                            completedAt: Fx.at("2026-10-12 09:09:59"))), ["FLG02_IMPLAUSIBLY_FAST"])
        XCTAssertEqual(codes(Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 0, status: .completed,
                                            completedAt: Fx.at("2026-10-12 09:00:59"))), ["FLG02_IMPLAUSIBLY_FAST"])
        XCTAssertEqual(codes(Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed,
                                            completedAt: Fx.at("2026-10-12 09:10"))), [])
        let flagged = CaseAbnormal.findings(current: Fx.serviceCase(acceptedAt: Fx.at("2026-10-11 10:00"), promisedDays: 3, status: .accepted),
                                            pushes: [push("2026-10-11 10:00", .accepted, line: 2)], at: Fx.at("2026-10-12 10:00"), calendar: cal)
        XCTAssertEqual(flagged.map(\.level), [.flag])
        XCTAssertEqual(CaseAbnormal.masks(flagged).errors, 0)
    }

    func testMasksOfTheHotPathAgreeWithTheFindings() {
        let c = Fx.serviceCase(acceptedAt: Fx.at("2026-10-12 09:00"), promisedDays: 3, status: .completed, completedAt: Fx.at("2026-10-09 22:00"),
                               suspensions: [Fx.susp("2026-10-12 10:00", nil)])
        let pushes = [push("2026-10-12 09:00", .completed, line: 2), push("2026-10-12 10:00", .accepted, unit: "x", line: 3)]
        let f = CaseAbnormal.staticFindings(current: c, pushes: pushes, calendar: cal)
        let m = CaseAbnormal.staticMasks(c.facts, history: CaseAbnormal.ordered(pushes), calendar: cal)
        XCTAssertEqual(CaseAbnormal.masks(f).errors, m.errors)
        XCTAssertEqual(CaseAbnormal.masks(f).flags, m.flags)
        XCTAssertEqual(Set(f.map(\.code)), [.completedBeforeAccepted, .suspensionOpenPastEnd, .statusBackwards, .unitChanged, .outsideWorkingHours])
    }

    func testCodesAreStableAndDistinct() {
        XCTAssertEqual(CaseFinding.Code.allCases.map(\.rawValue), [
            "ABN01_COMPLETED_BEFORE_ACCEPTED", "ABN02_CLOSED_WITHOUT_COMPLETION_TIME", "ABN03_SUSPENDED_WITHOUT_OPEN_SUSPENSION",
            "ABN04_SUSPENSION_OPEN_PAST_END", "ABN05_STATUS_BACKWARDS", "ABN06_UNIT_CHANGED", "ABN07_DEPARTMENT_CHANGED",
            "ABN08_FUTURE_TIME", "ABN09_STALLED", "FLG01_OUTSIDE_WORKING_HOURS", "FLG02_IMPLAUSIBLY_FAST"])
        XCTAssertEqual(Set(CaseFinding.Code.allCases.map(\.bit)).count, CaseFinding.Code.allCases.count)
    }
}

/// The in-place UTF-8 check of the CSV reader agrees with the standard library's on every
/// byte pattern that matters (every 1–2 byte sequence, all lead bytes with edge continuations).
final class UTF8CheckTests: XCTestCase {
    func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        let expected = String(validating: bytes, as: UTF8.self) != nil
        let got = bytes.withUnsafeBufferPointer { CSVRecord.Storage.isValidUTF8($0) }
        XCTAssertEqual(got, expected, "\(bytes.map { String($0, radix: 16) })", file: file, line: line)
    }

    func testAgreesWithTheStandardLibrary() {
        for a in 0...255 { check([UInt8(a)]) }
        for a in 0x80...0xFF { for b in 0...255 { check([UInt8(a), UInt8(b)]) } }
        let edges: [UInt8] = [0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
        for a in 0xE0...0xF4 { for b in edges { for c in edges { check([UInt8(a), b, c]); for d in edges { check([UInt8(a), b, c, d]) } } } }
        check(Array("下城区 武林街道".utf8))
        check(Array("下城区".utf8).dropLast())
    }
}
