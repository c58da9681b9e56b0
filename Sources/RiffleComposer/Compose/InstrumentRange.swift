import RiffleCore

/// Where a General MIDI melody instrument plays comfortably, in sounding MIDI pitches.
///
/// Not the extremes an instrument can reach but the span a player leads a tune in (an alto sax from
/// its low D flat to about A flat at the top of the staff). Transposing instruments are given as
/// they sound; guitars sound an octave below their written notes.
enum InstrumentRange {
    /// The range for `program`; a middle register for anything the table does not list.
    static func of(_ program: Int) -> ClosedRange<Int> {
        switch program {
        case 0...7: 60...86         // pianos, electric pianos, harpsichord, clavinet: the right hand
        case 8: 60...96             // celesta
        case 9: 79...105            // glockenspiel
        case 10: 60...93            // music box
        case 11: 53...89            // vibraphone
        case 12: 48...84            // marimba
        case 13: 65...96            // xylophone
        case 14: 60...77            // tubular bells
        case 15: 55...84            // dulcimer
        case 16...20: 55...84       // organs
        case 21, 23: 53...81        // accordion, bandoneon
        case 22: 60...84            // harmonica
        case 24...28: 52...81       // nylon, steel, jazz, clean, muted guitar
        case 29, 30: 52...86        // overdriven, distortion guitar: solos sit high
        case 31: 52...79            // guitar harmonics
        case 32...39: 31...60       // basses
        case 40: 57...91            // violin
        case 41: 50...81            // viola
        case 42: 38...72            // cello
        case 43: 31...60            // contrabass
        case 44, 45, 48...51: 48...84 // string sections
        case 46: 48...91            // harp
        case 47: 41...55            // timpani
        case 52...54: 55...79       // choir, voice, synth voice: a singer's range
        case 55: 48...84            // orchestra hit
        case 56: 55...82            // trumpet
        case 57: 43...70            // trombone
        case 58: 31...58            // tuba
        case 59: 57...81            // muted trumpet
        case 60: 46...74            // French horn
        case 61...63: 50...82       // brass sections, synth brass
        case 64: 58...86            // soprano sax
        case 65: 51...77            // alto sax
        case 66: 45...72            // tenor sax
        case 67: 38...65            // baritone sax
        case 68: 60...89            // oboe
        case 69: 53...79            // English horn
        case 70: 38...67            // bassoon
        case 71: 52...86            // clarinet
        case 72: 74...101           // piccolo
        case 73: 62...93            // flute
        case 74: 72...96            // recorder (soprano)
        case 75: 60...89            // pan flute
        case 76...79: 60...88       // blown bottle, shakuhachi, whistle, ocarina
        case 80...87: 55...88       // synth leads
        case 88...95: 48...84       // pads
        case 104: 52...81           // sitar
        case 105: 55...79           // banjo
        case 106: 52...79           // shamisen
        case 107: 55...86           // koto
        case 108: 60...88           // kalimba
        case 109: 67...81           // bagpipe chanter
        case 110: 57...91           // fiddle
        case 111: 60...86           // shanai
        case 112: 72...96           // tinkle bell
        case 114: 60...88           // steel drums
        default: 55...84
        }
    }

    /// The range shared by every program in `programs` (a line any of them can play), or the first
    /// one's when they share less than an octave; a middle register when none are given.
    static func common(_ programs: [Int]) -> ClosedRange<Int> {
        guard let first = programs.first else { return of(-1) }
        let low = programs.map { of($0).lowerBound }.max() ?? 0
        let high = programs.map { of($0).upperBound }.min() ?? 127
        return high - low >= 12 ? low...high : of(first)
    }
}
