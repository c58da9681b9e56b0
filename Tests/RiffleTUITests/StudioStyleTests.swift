import RiffleStudio
import RiffleTUI
import RiffleTestSupport
import Testing

/// Where the waveform pane's parts are on a rendered screen, found from what the pane draws (its frame,
/// the section names, the time axis), not from the layout code, so the tests check the drawing against
/// the time axis the user reads.
private struct WaveformGeometry {
    let buffer: ScreenBuffer
    /// The frame's left and right columns and its top row.
    let left, right, top: Int
    /// The rows of the mix and the stem lanes.
    let laneRows: Range<Int>
    /// The time axis, under the section names.
    let axisRow: Int
    /// The plot's columns: from 0:00 on the axis to the frame.
    private(set) var plot: Range<Int>

    init(_ buffer: ScreenBuffer) throws {
        self.buffer = buffer
        let top = try #require((0..<buffer.height).first { buffer.line($0).contains("╭─ Waveform") }, "no waveform pane")
        let topLine = Array(buffer.line(top))
        let left = try #require(buffer.column(of: "╭─ Waveform", row: top))
        let right = try #require((left + 1..<topLine.count).first { topLine[$0] == "╮" })
        let sections = try #require((top + 1..<buffer.height).first { buffer.line($0).contains("▏intro") }, "no section names")
        self.top = top
        self.left = left
        self.right = right
        laneRows = (top + 1)..<sections
        axisRow = sections + 1
        plot = 0..<0
        let zero = try #require(tick("0:00"), "no 0:00 on the time axis")
        plot = zero..<right
    }

    /// The column of the axis mark before `label` ("0:10"): where that time is.
    func tick(_ label: String) -> Int? {
        var from = left + 1
        while let x = buffer.column(of: label, row: axisRow, from: from) {
            if ["╵", "▲"].contains(buffer[x - 1, axisRow].character) { return x - 1 }
            from = x + 1
        }
        return nil
    }

    /// The column of the playhead's mark under the lanes.
    var marker: Int? { buffer.column(of: "▲", row: axisRow, from: left + 1) }

    /// The row of the lane whose label starts with `name`.
    func lane(_ name: String) -> Int? { laneRows.first { buffer.line($0).dropFirst(left + 1).hasPrefix(name) } }
}

extension ScreenBuffer {
    /// The column where `text` starts on row `y`, at `from` or after.
    func column(of text: String, row y: Int, from: Int = 0) -> Int? {
        let line = Array(line(y)), needle = Array(text)
        guard !needle.isEmpty, line.count >= needle.count, from <= line.count - needle.count else { return nil }
        return (from...(line.count - needle.count)).first { Array(line[$0..<($0 + needle.count)]) == needle }
    }
}

private func waveformState(width: Int, height: Int, _ configure: (inout StudioState) -> Void) -> StudioState {
    studioWithBatch(width: width, height: height) { state in
        state.focus = .waveform
        state.playback.takeID = "j1-2"
        configure(&state)
    }
}

@Suite("The style layer: what only colour and attributes show")
struct StudioStyleTests {
    @Test("a region is drawn in the region style across exactly its columns, over the waveform it leaves in place",
          arguments: [(80, 24), (120, 40)])
    func region(width: Int, height: Int) throws {
        let state = waveformState(width: width, height: height) { state in
            state.playback.position = 25
            state.playback.region = 10...20
        }
        let buffer = StudioView.render(state)
        let geometry = try WaveformGeometry(buffer)
        // The region runs from the 0:10 mark on the time axis to the 0:20 mark, both included.
        let from = try #require(geometry.tick("0:10")), to = try #require(geometry.tick("0:20"))
        let head = try #require(geometry.marker)
        #expect(!(from...to).contains(head))
        for y in geometry.laneRows {
            for x in (geometry.left + 1)..<geometry.right where x != head {
                let role = buffer[x, y].style.role
                if (from...to).contains(x) {
                    #expect(role == .region, "lane row \(y), column \(x) is inside the region but drawn as \(role)")
                } else {
                    #expect(role != .region, "lane row \(y), column \(x) is outside the region but drawn as region")
                }
            }
        }
        // Nothing else on the screen is in the region style, and the region keeps the waveform's characters.
        let regionCells = buffer.cells.filter { $0.style.role == .region }.count
        #expect(regionCells == (to - from + 1) * geometry.laneRows.count)
        var withoutRegion = state
        withoutRegion.playback.region = nil
        let plain = StudioView.render(withoutRegion)
        #expect(!plain.cells.contains { $0.style.role == .region })
        for y in geometry.laneRows { #expect(plain.line(y) == buffer.line(y)) }

        // The playhead inside the region stays the playhead; the region closes round it.
        var inside = state
        inside.playback.position = 15
        let insideBuffer = StudioView.render(inside)
        let insideHead = try #require(try WaveformGeometry(insideBuffer).marker)
        #expect((from + 1..<to).contains(insideHead))
        for y in geometry.laneRows {
            #expect(insideBuffer[insideHead, y].style.role == .playhead)
            #expect(insideBuffer[insideHead - 1, y].style.role == .region)
            #expect(insideBuffer[insideHead + 1, y].style.role == .region)
        }
    }

    @Test("the playhead is a reversed column in the playhead style through every lane, at its time on the axis",
          arguments: [(80, 24), (120, 40)])
    func playhead(width: Int, height: Int) throws {
        for (seconds, label) in [(10.0, "0:10"), (20.0, "0:20")] {
            let buffer = StudioView.render(waveformState(width: width, height: height) { $0.playback.position = seconds })
            let geometry = try WaveformGeometry(buffer)
            let head = try #require(geometry.tick(label))
            #expect(geometry.marker == head)
            #expect(buffer[head, geometry.axisRow] == Cell("▲", style: Style(.playhead, bold: true)))
            for y in geometry.laneRows {
                // Reverse as well as the colour: a monochrome terminal shows the playhead by that alone.
                #expect(buffer[head, y].style == Style(.playhead, bold: true, reverse: true), "lane row \(y) at the playhead")
                let others = buffer.cells(row: y).indices.filter { $0 != head && buffer[$0, y].style.role == .playhead }
                #expect(others.isEmpty, "lane row \(y) has the playhead style at columns \(others) too")
            }
            #expect(buffer.cells.filter { $0.style.role == .playhead }.count == geometry.laneRows.count + 1)
        }
    }

    @Test("a muted stem's lane is drawn muted, the others in the waveform style; a solo mutes the rest")
    func mutedAndSoloedLanes() throws {
        let stems = ["drums", "bass", "harmony", "melody", "texture"]
        func laneRoles(_ configure: @escaping (inout StudioState) -> Void) throws -> (ScreenBuffer, [String: Set<Style.Role>], [String: String]) {
            let buffer = StudioView.render(waveformState(width: 120, height: 40) { state in
                state.playback.position = 25
                configure(&state)
            })
            let geometry = try WaveformGeometry(buffer)
            let head = try #require(geometry.marker)
            var roles: [String: Set<Style.Role>] = [:], labels: [String: String] = [:]
            for name in ["mix"] + stems {
                let y = try #require(geometry.lane(name), "no \(name) lane")
                roles[name] = Set(geometry.plot.filter { $0 != head }.map { buffer[$0, y].style.role })
                // A label and its mark have 9 columns; the 10th is a space (or a scroll mark).
                labels[name] = String(buffer.line(y).dropFirst(geometry.left + 1).prefix(9)).trimmingCharacters(in: .whitespaces)
            }
            return (buffer, roles, labels)
        }

        let (plain, plainRoles, _) = try laneRoles { _ in }
        #expect(plainRoles.values.allSatisfy { $0 == [.waveform] })

        let (muted, mutedRoles, mutedLabels) = try laneRoles { $0.playback.muted = [2] }
        #expect(mutedRoles["harmony"] == [.muted])
        #expect(mutedLabels["harmony"] == "harmony M")
        for name in ["mix", "drums", "bass", "melody", "texture"] { #expect(mutedRoles[name] == [.waveform], "\(name) lane") }
        // Only the style (and the label's mark) tells the muted lane apart: its bars are the same.
        let harmony = try #require(try WaveformGeometry(muted).lane("harmony"))
        #expect(muted.line(harmony).dropFirst(40) == plain.line(harmony).dropFirst(40))
        #expect(muted.cells(row: harmony) != plain.cells(row: harmony))

        let (_, melodyRoles, melodyLabels) = try laneRoles { $0.playback.muted = [3] }
        #expect(melodyRoles["melody"] == [.muted] && melodyRoles["harmony"] == [.waveform])
        #expect(melodyLabels["melody"] == "melody M")

        let (_, soloRoles, soloLabels) = try laneRoles { $0.playback.soloed = [1] }
        #expect(soloRoles["bass"] == [.waveform])
        #expect(soloLabels["bass"] == "bass S")
        for name in ["drums", "harmony", "melody", "texture"] { #expect(soloRoles[name] == [.muted], "\(name) lane") }
        #expect(soloRoles["mix"] == [.waveform])
    }

    @Test("the lane under the stem cursor has its label in the selection style")
    func stemCursor() throws {
        let buffer = StudioView.render(waveformState(width: 120, height: 40) { $0.playback.stemCursor = 3 })
        let geometry = try WaveformGeometry(buffer)
        for name in ["mix", "drums", "bass", "harmony", "melody", "texture"] {
            let y = try #require(geometry.lane(name))
            let label = buffer.cells(row: y, from: geometry.left + 1, to: geometry.left + 1 + name.count)
            let expected = name == "melody" ? Style(.selection, reverse: true) : Style(.muted)
            #expect(label.allSatisfy { $0.style == expected }, "the \(name) label")
        }
    }

    @Test("the selected row in the jobs pane has the selection style, reversed while the pane has the focus",
          arguments: [(80, 24), (120, 40)])
    func selectedJobRow(width: Int, height: Int) throws {
        for selection in [JobSelection.job("j2"), .job("j1"), .take(jobID: "j1", takeID: "j1-1")] {
            for focus in [Pane.jobs, .prompt] {
                let buffer = StudioView.render(studio(width: width, height: height) { state in
                    state.focus = focus
                    state.jobs = [Fixtures.queued, Fixtures.running, Fixtures.finished]
                    state.selection = selection
                })
                let top = try #require((0..<buffer.height).first { buffer.line($0).contains("╭─ Jobs") })
                let left = try #require(buffer.column(of: "╭─ Jobs", row: top))
                let right = try #require(buffer.column(of: "╮", row: top, from: left))
                let bottom = try #require((top + 1..<buffer.height).first { buffer[left, $0].character == "╰" })
                let rows = (top + 1)..<bottom
                let marked = rows.filter { buffer[left + 1, $0].character == "›" }
                #expect(marked.count == 1, "\(selection), focus \(focus): the rows marked › are \(marked)")
                let selected = try #require(marked.first)
                let expectedText: String = switch selection {
                case .job(let id): id == "j2" ? "running" : "done"
                case .take: "take 1"
                }
                #expect(buffer.line(selected).contains(expectedText))
                for y in rows {
                    let cells = buffer.cells(row: y, from: left + 1, to: right)
                    if y == selected {
                        // The row is filled in the selection style before its text is written, so what no
                        // text covers keeps it: the gap before a job's detail, the room after a take's seed.
                        // (At 80 columns a take's details run to the edge, so only its reverse shows it.)
                        if case .job = selection {
                            #expect(cells.contains { $0.style.role == .selection }, "\(selection), focus \(focus)")
                        } else if width >= 120 {
                            let trailing = cells.reversed().prefix { $0.character == " " }
                            #expect(trailing.count > 5 && trailing.allSatisfy { $0.style.role == .selection }, "\(selection), focus \(focus)")
                        }
                        // ... and with the focus the whole row is reversed, text included.
                        #expect(cells.allSatisfy { $0.style.reverse == (focus == .jobs) }, "\(selection), focus \(focus)")
                    } else {
                        #expect(!cells.contains { $0.style.role == .selection || $0.style.reverse }, "row \(y) is not selected")
                    }
                }
            }
        }
    }
}

@Suite("The snapshot format: text, then one symbol per cell for its style")
struct StyledSnapshotTests {
    private func sample() -> ScreenBuffer {
        var buffer = ScreenBuffer(width: 8, height: 3)
        buffer.box(Rect(x: 0, y: 0, width: 8, height: 3), title: "ab")
        buffer.put("›x", x: 1, y: 1, style: Style(.selection, reverse: true))
        buffer.put("!", x: 5, y: 1, style: Style(.playhead, bold: true, reverse: true))
        buffer[6, 1] = Cell("~", style: Style(.region, underline: true))
        return buffer
    }

    @Test("a screen is written as its text, an empty line, the legend of the styles it uses, and its style block")
    func format() {
        #expect(sample().styledSnapshot == """
            ╭─ ab ─╮
            │›x  !~│
            ╰──────╯

            styles 8x3, one character per cell:
              . = text
              b = border
              B = border+bold
              z = selection+reverse
              | = playhead+bold+reverse
              0 = region+underline
            bbBBBBbb
            bzz..|0b
            bbbbbbbb

            """)
    }

    @Test("every combination of role and attributes gets its own symbol and reads back as written")
    func everyStyle() throws {
        var styles: [Style] = []
        for role in Style.Role.allCases {
            for bits in 0..<16 {
                let bold = bits & 1 != 0, reverse = bits & 2 != 0, dim = bits & 4 != 0, underline = bits & 8 != 0
                styles.append(Style(role, bold: bold, reverse: reverse, dim: dim, underline: underline))
            }
        }
        var buffer = ScreenBuffer(width: styles.count, height: 1)
        for (x, style) in styles.enumerated() { buffer[x, 0] = Cell("x", style: style) }
        let legend = StyleLegend(buffer)
        let symbols: [Character] = legend.entries.map { $0.symbol }
        #expect(Set(symbols).count == styles.count)
        #expect(!legend.entries.contains { $0.symbol == " " || $0.symbol == "=" })
        let read = try StyledSnapshot(parsing: buffer.styledSnapshot)
        #expect(read.styles == [styles])
        #expect(read.text == [String(repeating: "x", count: styles.count)])
        for style in styles { #expect(Style(snapshotName: style.snapshotName) == style) }
    }

    @Test("a mismatch names the first cell whose text or style differs and shows its row both ways")
    func mismatch() throws {
        let file = sample().styledSnapshot
        #expect(snapshotMismatch(expected: file, actual: sample(), name: "sample") == nil)

        var restyled = sample()
        restyled[6, 1] = Cell("~", style: Style(.waveform))
        let message = try #require(snapshotMismatch(expected: file, actual: restyled, name: "sample"))
        #expect(message.contains("first at row 1, column 6: expected \"~\" region+underline, got \"~\" waveform"))
        #expect(message.contains("expected style bzz..|0b"))
        #expect(message.contains("actual style   bzz..|~b"))

        var retexted = sample()
        retexted.put("y", x: 2, y: 1, style: Style(.selection, reverse: true))
        let textMessage = try #require(snapshotMismatch(expected: file, actual: retexted, name: "sample"))
        #expect(textMessage.contains("row 1, column 2: expected \"x\" selection+reverse, got \"y\" selection+reverse"))
        #expect(textMessage.contains("expected text  │›x  !~│"))
        #expect(textMessage.contains("actual text    │›y  !~│"))

        // A text-only snapshot from before styles were recorded does not pass.
        let textOnly = sample().text + "\n"
        let old = try #require(snapshotMismatch(expected: textOnly, actual: sample(), name: "sample"))
        #expect(old.contains("no \"styles WxH\" block"))
    }
}
