import Testing

@testable import Dashboard

/// The toml++ reader behind theme files: file order, every kind a theme can meet, and syntax errors.
@Suite("TOML reader")
struct TOMLReaderTests {
    @Test("tables keep their keys in file order and values their kinds")
    func kindsAndOrder() throws {
        let text = """
            name = "zeta"
            [title]
            fg = 3
            bg = "#102030"
            attrs = ["bold", 7, true]
            [border]
            bold = false
            weight = 1.5
            """
        let root = try TOMLReader.parse(text)
        #expect(root.map(\.key) == ["name", "title", "border"])
        #expect(root[0].value.string == "zeta")
        let title = try #require(root[1].value.table)
        #expect(title.map(\.key) == ["fg", "bg", "attrs"])
        #expect(title[0].value.int == 3 && title[0].value.string == nil)
        #expect(title[1].value.string == "#102030")
        let attrs = try #require(title[2].value.array)
        #expect(attrs.map(\.description) == ["\"bold\"", "7", "a boolean"])
        let border = try #require(root[2].value.table)
        #expect(border.map(\.value.description) == ["a boolean", "a float"])
    }

    @Test("a syntax error says where it is")
    func syntaxError() {
        #expect {
            _ = try TOMLReader.parse("[ok]\nfg = 1\nbg = = 2\n")
        } throws: { error in
            guard let error = error as? TOMLSyntaxError else { return false }
            return error.line == 3 && !error.message.isEmpty
        }
    }

    @Test("a theme's error names a value of the wrong kind by its kind")
    func wrongKind() {
        do {
            _ = try ThemeParser.parse("[title]\nfg = true\n", file: "t.toml")
            Issue.record("a boolean colour was accepted")
        } catch {
            #expect(error.message.contains("'title.fg'"), "\(error.message)")
        }
    }
}
