#include "type_syntax.hpp"

#include <set>

#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"

namespace mdbsim::host::print {

int args_to_typename(int* argc, const mdb_arg_t** argv, std::string& name) {
    if (*argc < 1 || (*argv)->a_type != MDB_TYPE_STRING) return DCMD_USAGE;
    std::string_view first = (*argv)->a_un.a_str;
    if (first == "struct" || first == "enum" || first == "union") {
        if (*argc <= 1) {
            if (Session* s = Session::current()) warn(*s, "%s is not a valid type\n", (*argv)->a_un.a_str);
            return DCMD_ABORT;
        }
        if ((*argv)[1].a_type != MDB_TYPE_STRING) return DCMD_USAGE;
        name = std::string(first) + " " + (*argv)[1].a_un.a_str;
        *argc -= 1;
        *argv += 1;
    } else {
        name = std::string(first);
    }
    return 0;
}

bool valid_identifier(std::string_view s) {
    if (s.empty()) return false;
    auto alpha = [](char c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (!alpha(s[0])) return false;
    for (char c : s.substr(1))
        if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

std::optional<uint64_t> parse_c_count(std::string_view text) {
    unsigned base = 10;
    if (text.size() >= 2 && text[0] == '0') {
        switch (text[1]) {
        case 'x': case 'X': base = 16; break;
        case 't': case 'T': base = 10; break;
        case 'o': case 'O': base = 8; break;
        case 'i': case 'I': base = 2; break;
        default: break;
        }
        if (base != 10 || text[1] == 't' || text[1] == 'T') text.remove_prefix(2);
    }
    if (text.empty()) return std::nullopt;
    uint64_t v = 0;
    for (char c : text) {
        unsigned d;
        if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'z') d = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'Z') d = static_cast<unsigned>(c - 'A' + 10);
        else return std::nullopt;
        if (d >= base) return std::nullopt;
        if (v > (UINT64_MAX - d) / base) return std::nullopt;
        v = v * base + d;
    }
    return v;
}

namespace {

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s;
}

std::string_view trim_right(std::string_view s) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

// One `type name;` from the front of text; advances text past the semicolon.
std::variant<TypedefMember, TypedefError> parse_member(std::string_view& text) {
    size_t semi = text.find(';');
    if (semi == std::string_view::npos)
        return TypedefError{"Cannot find semi-colon to delineate the end of a member.\n"};
    std::string_view decl = text.substr(0, semi);
    text.remove_prefix(semi + 1);

    size_t blank = decl.rfind(' ');
    if (blank == std::string_view::npos)
        return TypedefError{"Missing both a name and a type declaration for a member. Instead, found '" +
                            std::string(decl) + "'\n"};
    TypedefMember m;
    std::string_view name = decl.substr(blank + 1);
    std::string_view type = decl.substr(0, blank);
    while (!type.empty() && (type.back() == '*' || type.back() == ' ')) {
        if (type.back() == '*') ++m.pointers;
        type.remove_suffix(1);
    }
    m.type = std::string(type);
    while (!name.empty() && name.front() == '*') {
        ++m.pointers;
        name.remove_prefix(1);
    }
    if (size_t open = name.find('['); open != std::string_view::npos) {
        size_t close = name.find(']', open);
        if (close == std::string_view::npos)
            return TypedefError{"Found the beginning of an array size but no closing ']' in " +
                                std::string(name.substr(open)) + "\n"};
        std::string_view count = name.substr(open + 1, close - open - 1);
        if (!count.empty() && count.front() == '-') return TypedefError{"Array lengths cannot be negative\n"};
        auto n = parse_c_count(count);
        if (!n) return TypedefError{"The array length " + std::string(count) + " is not a number.\n"};
        m.array = true;
        m.count = *n;
        name = name.substr(0, open);
    }
    if (!valid_identifier(name))
        return TypedefError{"The name " + std::string(name) + " is not a valid C identifier.\n"};
    m.name = std::string(name);
    return m;
}

}  // namespace

std::variant<TypedefDecl, TypedefError> parse_typedef_decl(std::string_view defn) {
    TypedefDecl d;
    size_t blank = defn.find(' ');
    if (blank == std::string_view::npos)
        return TypedefError{"Invalid structure definition. Structure must start with either 'struct {' or "
                            "'union {'\n"};
    std::string_view keyword = defn.substr(0, blank);
    if (keyword == "union")
        d.is_union = true;
    else if (keyword != "struct")
        return TypedefError{"Invalid start of definition. Expected 'struct' or 'union'. Found: '" +
                            std::string(keyword) + "'\n"};
    std::string_view rest = trim_left(defn.substr(blank + 1));
    if (rest.empty() || rest.front() != '{') {
        size_t brace = rest.find('{');
        if (brace == std::string_view::npos)
            return TypedefError{"Missing opening brace for " + std::string(defn) + " definition. Expected '{'. "
                                "Found: '" + std::string(rest.substr(0, 1)) + "'\n"};
        std::string_view tag = trim_right(rest.substr(0, brace));
        if (!valid_identifier(tag))
            return TypedefError{"The name " + std::string(tag) + " is not a valid C identifier.\n"};
        d.tag = std::string(tag);
        d.tag_type = std::string(keyword) + " " + d.tag;
        rest.remove_prefix(brace);
    }
    rest = trim_left(rest.substr(1));
    if (rest.empty() || rest.back() != '}')
        return TypedefError{"Missing closing brace for " + std::string(keyword) +
                            " declaration. Expected '}'.\n"};
    rest.remove_suffix(1);
    for (;;) {
        auto m = parse_member(rest);
        if (auto* e = std::get_if<TypedefError>(&m)) return *e;
        d.members.push_back(std::move(std::get<TypedefMember>(m)));
        rest = trim_left(rest);
        if (rest.empty()) break;
    }
    return d;
}

std::optional<std::string> validate_typedef_decl(const TypedefDecl& decl) {
    std::set<std::string, std::less<>> seen;
    for (size_t i = 0; i < decl.members.size(); ++i) {
        const TypedefMember& m = decl.members[i];
        if (!seen.insert(m.name).second) return "duplicate name detected: " + m.name + "\n";
        if (m.array && m.count == 0) {
            if (decl.is_union) return std::string("Flexible array members are only valid in structs.\n");
            if (i + 1 != decl.members.size())
                return std::string("Flexible array entries are only allowed to be the last entry in a struct\n");
            if (i == 0) return std::string("Structs must have members aside from a flexible member\n");
        }
    }
    return std::nullopt;
}

}  // namespace mdbsim::host::print
