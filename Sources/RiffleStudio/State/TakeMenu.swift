/// The action menu over a take (`m`): what can be done to it, with what cannot greyed out and why.
public struct TakeMenu: Equatable, Sendable {
    public enum Action: String, Equatable, Sendable, CaseIterable {
        case repaint = "Repaint region"
        case extend = "Extend"
        case restyle = "Restyle"
        case stems = "Stems"
        case export = "Export"
        case delete = "Delete"
    }

    public struct Item: Equatable, Sendable {
        public var action: Action
        /// What it will do, shown beside it: "by 30 s", "as Techno".
        public var detail: String
        /// Why it cannot be chosen; `nil` when it can.
        public var unavailable: String?
    }

    public var takeID: String
    public var items: [Item]
    public var selected = 0

    public init(takeID: String, items: [Item]) {
        self.takeID = takeID
        self.items = items
        selected = items.firstIndex { $0.unavailable == nil } ?? 0
    }
}
