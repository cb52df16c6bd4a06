// The member-path syntax of ::print and ::printf (docs/print-format.md §7.3): `a.b[2]->c`, `->c`,
// `[3]`. A cursor hands out one step at a time, because mdb checks each step against the type
// before it reads the next: `x.y%` on a non-struct `x` is "not a struct", not "bad delimiter".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mdbsim::host::print {

struct PathStep {
    enum class Kind {
        done,      // end of the path
        member,    // `.name`
        arrow,     // `->name`
        implicit,  // `name` at the start: `->` for a pointer, `.` otherwise (decided by the caller)
        index,     // `[text]`: text is the number as written, parsed by the caller in the radix
        error,     // text is the warning (without the newline)
    };
    Kind kind = Kind::done;
    std::string text;  // member name, index text, or error message
};

class MemberPathCursor {
public:
    explicit MemberPathCursor(std::string_view path) : path_(path) {}
    PathStep next();
    // What is left after the last step handed out (for messages and tests).
    std::string_view rest() const { return path_.substr(pos_); }

private:
    std::string read_name();  // first character as is, then [A-Za-z0-9_]*

    std::string_view path_;
    size_t pos_ = 0;
    bool first_ = true;
};

}  // namespace mdbsim::host::print
