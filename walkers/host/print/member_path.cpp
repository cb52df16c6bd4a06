#include "member_path.hpp"

#include <cctype>

namespace mdbsim::host::print {

std::string MemberPathCursor::read_name() {
    // mdb assumes a member name is at least one character long and takes the first one
    // unchecked; an empty remainder gives an empty name, which no member has.
    size_t start = pos_;
    if (pos_ < path_.size()) ++pos_;
    while (pos_ < path_.size() &&
           (std::isalnum(static_cast<unsigned char>(path_[pos_])) || path_[pos_] == '_'))
        ++pos_;
    return std::string(path_.substr(start, pos_ - start));
}

PathStep MemberPathCursor::next() {
    const bool first = first_;
    first_ = false;
    if (pos_ >= path_.size()) return {PathStep::Kind::done, {}};
    const char c = path_[pos_];
    if (c == '.') {
        ++pos_;
        return {PathStep::Kind::member, read_name()};
    }
    if (c == '-' && pos_ + 1 < path_.size() && path_[pos_ + 1] == '>') {
        pos_ += 2;
        return {PathStep::Kind::arrow, read_name()};
    }
    if (c == '[') {
        size_t close = path_.find(']', pos_ + 1);
        if (close == std::string_view::npos) return {PathStep::Kind::error, "no trailing ']'"};
        std::string text(path_.substr(pos_ + 1, close - pos_ - 1));
        pos_ = close + 1;
        return {PathStep::Kind::index, std::move(text)};
    }
    if (first) return {PathStep::Kind::implicit, read_name()};
    std::string msg = "'";
    msg += c;
    msg += "' is not a valid delimiter";
    return {PathStep::Kind::error, std::move(msg)};
}

}  // namespace mdbsim::host::print
