// mdb's output streams (modapi.md §12): line-buffered, with a margin, INDENT, tab stops, the
// autowrap rules and the mdb_printf conversion engine. Standard output, standard error, the stdout
// of a left pipeline stage and mdb_snprintf buffers are all Outputs of different kinds.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
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
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;

    // An Output bound to no session: radix 16, no symbols or variables, autowrap only when
    // forced. mdb_snprintf uses one when no session exists; tests use it for the engine alone.
    static std::unique_ptr<Output> detached(Kind kind, Sink sink, int cols = 80);

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
    // Writing these fields directly is allowed; set_indent() additionally pre-fills or clears a
    // line that holds nothing but the margin, as mdb does when the flag changes.
    bool indent = false;
    unsigned long margin = 16;
    unsigned long tabstop = 8;
    bool force_autowrap = false;

    // Current column of the pending line (after the margin, if any).
    size_t column() const;

    // ---- primitives shared by the conversion engine and the format verbs ----
    // Autowrap is in force: (Session::autowrap or force_autowrap) on a terminal or file stream.
    bool autowrap_active() const;
    // The autowrap test for a piece of width n (§12.1).
    bool wrap_now(size_t n) const;
    void newline();                          // '\n', hand the line to the sink, re-indent
    void tab(size_t stop);                   // pad to the next multiple of stop, or newline
    void fill(char c, size_t n);             // n copies of c (split at the column limit)
    void whitespace(size_t n);               // padding that becomes a newline at the limit
    void set_indent(bool on);                // INDENT on (pre-fill margin) / off (un-indent)
    void set_margin(unsigned long m);        // re-indents a line holding only the old margin
    const std::string& pending() const { return line_; }  // current line, not yet written
    bool line_is_margin() const;             // the pending line is exactly the margin's blanks

private:
    friend struct OutputAccess;
    Output(Session* s, Kind kind, Sink sink, int cols, size_t bufsiz);
    void put_chunk(std::string_view text);  // text without '\n' or '\t'
    void ensure_indent();                   // lazily pre-fill the margin of an empty line
    void chunk_flush();                     // buffer full without autowrap: write, no newline
    size_t tab_limit() const;
    size_t effective_margin() const;

    Session* session_;  // null for a detached Output
    Kind kind_;
    Sink sink_;
    int cols_;
    std::string line_;  // pending text of the current line
    size_t written_ = 0;      // bytes of line_ already handed to the sink by flush()
    bool continued_ = false;  // line_ continues a line cut by chunk_flush(): no margin
    size_t bufsiz_;     // a line longer than this is written out in pieces (illumos BUFSIZ)
};

// "mdb: " + message, then ": " + the errno text when fmt has no newline (§12.3), on s.err().
void vwarn(Session& s, const char* fmt, va_list ap);
void warn(Session& s, const char* fmt, ...);

// mdb_snprintf semantics: returns the full length; never wraps or indents.
size_t vsnprintf_mdb(Session& s, char* buf, size_t n, const char* fmt, va_list ap);
size_t snprintf_mdb(Session& s, char* buf, size_t n, const char* fmt, ...);

// ---- number and text helpers behind the conversions (also used by the format verbs) ----
// illumos numtostr(): digits of v in base 2..16; flags below. Negative values (unless
// unsigned) get '-' and their magnitude; SHOWBASE adds 0i/0o/0t/0x when the raw value exceeds
// 1/7/9/9.
inline constexpr unsigned kNumUnsigned = 0x1;
inline constexpr unsigned kNumSignPos = 0x2;
inline constexpr unsigned kNumShowBase = 0x4;
inline constexpr unsigned kNumUpcase = 0x8;
std::string num_to_str(uint64_t v, int base, unsigned flags);
// %H: human-readable byte count.
std::string bytes_to_str(uint64_t n);
// %e/%g: mdb's exponent format (sign always shown), precision digits after the point.
std::string double_to_str(double d, int precision, char expchar);
// Symbolic address text for %a, or empty when no symbol covers addr (smart matching).
std::string addr_to_symbol(Session& s, uint64_t addr);
// C escape notation for the C/S format characters.
std::string escape_bytes(std::string_view bytes);

// ---- the format verbs' calling convention (for the command language) ----
// Session::invoke(dcmd "/", "\\", "?" or "=", addr, flags, argc, argv):
//  * print form: argv is a sequence of
//      MDB_TYPE_IMMEDIATE n   repeat count for the next format character (a decimal digit run
//                             or $[expr] in the source)
//      MDB_TYPE_CHAR c        one format character, printed count times (count then resets to 1)
//      MDB_TYPE_STRING s      literal text from "..." (escapes already processed), printed as is
//    e.g. `/4X"x"n` → IMMEDIATE 4, CHAR 'X', STRING "x", CHAR 'n'. An empty argv means X^"= "i
//    for `/`, and is an error for `=`.
//  * write form (`/v`, `/w`, `/W`, `/Z`, `/z`): argv[0] = CHAR verb, then one argument per
//    value: IMMEDIATE (the language evaluated it) or STRING (evaluated here with mdb_eval).
//  * match form (`/l`, `/L`, `/M`): argv[0] = CHAR verb, then value [mask] as above.
// Dot is the address; the verb sets Session::increment and variable "0".

}  // namespace mdbsim::host
