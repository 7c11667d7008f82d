import XCTest
final class ProbeTests: XCTestCase { func testNothing() {} }
