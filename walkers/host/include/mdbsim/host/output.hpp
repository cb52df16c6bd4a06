// mdb's output streams (modapi.md §12): line-buffered, with a margin, INDENT, tab stops, the
// autowrap rules and the mdb_printf conversion engine. Standard output, standard error, the stdout
// of a left pipeline stage and mdb_snprintf buffers are all Outputs of different kinds.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace mdbsim::host {

class Session;

class Output {
public:
    enum class Kind { terminal, file, pipe };
    using Sink = std::function<void(std::string_view)>;

    Output(Session& s, Kind kind, Sink sink, int cols = 80);
    ~Output();

    static Sink fd_sink(int fd);  // writes to a file descriptor, retrying short writes

    // The mdb_printf engine (§12.2) and literal text through the newline/tab/wrap rules.
    void vprintf(const char* fmt, va_list ap);
    void printf(const char* fmt, ...);
    void puts(std::string_view text);

    void implicit_newline();  // §9.3: newline unless the line holds only the margin
    void flush();             // hand pending text to the sink
    void reset();             // after an aborted command: margin 16, INDENT off, pending discarded

    unsigned long inc_indent(unsigned long n);
    unsigned long dec_indent(unsigned long n);

    Kind kind() const { return kind_; }
    bool is_terminal() const { return kind_ == Kind::terminal; }
    int columns() const { return cols_; }
    void set_columns(int c) { cols_ = c; }
    Sink& sink() { return sink_; }

    // Used by the format verbs: INDENT on for their duration, autowrap forced per item.
    bool indent = false;
    unsigned long margin = 16;
    unsigned long tabstop = 8;
    bool force_autowrap = false;

    // Current column of the pending line (after the margin, if any).
    size_t column() const;

private:
    friend struct OutputAccess;
    Session& session_;
    Kind kind_;
    Sink sink_;
    int cols_;
    std::string line_;  // pending text of the current line
};

// "mdb: " + message, then ": " + the errno text when fmt has no newline (§12.3), on s.err().
void vwarn(Session& s, const char* fmt, va_list ap);
void warn(Session& s, const char* fmt, ...);

// mdb_snprintf semantics: returns the full length; never wraps or indents.
size_t vsnprintf_mdb(Session& s, char* buf, size_t n, const char* fmt, va_list ap);

}  // namespace mdbsim::host
