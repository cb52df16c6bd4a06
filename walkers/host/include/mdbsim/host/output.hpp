// mdb's output streams (modapi.md §12): line-buffered, with a margin, INDENT, tab stops, the
// autowrap rules and the mdb_printf conversion engine. Standard output, standard error, the stdout
// of a left pipeline stage and mdb_snprintf buffers are all Outputs of different kinds.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace mdbsim::host {

class Session;

// Text handed on to a sink in large pieces: standard output when it is not a terminal, so that a
// command printing millions of lines makes a few hundred write(2) calls instead of one per line.
// Text collects until the buffer would exceed `capacity` bytes, or until drain(); destruction
// drains.
class SinkBuffer {
public:
    using Sink = std::function<void(std::string_view)>;
    static constexpr size_t kDefaultCapacity = 64 * 1024;
    explicit SinkBuffer(Sink sink, size_t capacity = kDefaultCapacity);
    ~SinkBuffer();
    SinkBuffer(const SinkBuffer&) = delete;
    SinkBuffer& operator=(const SinkBuffer&) = delete;

    void write(std::string_view text) {  // buffered
        if (buf_.size() + text.size() <= capacity_) {
            buf_.append(text);
            return;
        }
        write_slow(text);
    }
    void drain();  // hands what the buffer holds to the sink now

private:
    void write_slow(std::string_view text);

    Sink sink_;
    size_t capacity_;
    std::string buf_;
};

class Output {
public:
    enum class Kind { terminal, file, pipe };
    using Sink = std::function<void(std::string_view)>;

    Output(Session& s, Kind kind, Sink sink, int cols = 80);
    // An Output whose sink writes into `buffer`; flush() (the end of every command, mdb_flush)
    // and destruction also drain the buffer. Standard output when it is not a terminal.
    Output(Session& s, Kind kind, std::shared_ptr<SinkBuffer> buffer, int cols = 80);
    ~Output();
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;

    // An Output bound to no session: radix 16, no symbols or variables, autowrap only when
    // forced. mdb_snprintf uses one when no session exists; tests use it for the engine alone.
    static std::unique_ptr<Output> detached(Kind kind, Sink sink, int cols = 80);

    static Sink fd_sink(int fd);  // writes to a file descriptor, retrying short writes
    // As fd_sink(fd), draining `before` first: standard error drains buffered standard output
    // before each write, so the two interleave exactly as if standard output were unbuffered.
    static Sink fd_sink(int fd, std::shared_ptr<SinkBuffer> before);

    // The mdb_printf engine (§12.2) and literal text through the newline/tab/wrap rules.
    void vprintf(const char* fmt, va_list ap);
    void printf(const char* fmt, ...);
    void puts(std::string_view text);

    void implicit_newline();  // §9.3: newline unless the line holds only the margin
    void flush();             // hand pending text to the sink (and drain a SinkBuffer behind it)
    // mdb_iob_discard: drops the part of the current line not yet handed to the sink (::print
    // takes back a member's half-printed line when its value cannot be read).
    void discard_pending();
    void reset();             // after an aborted command: margin 16, INDENT off, pending discarded

    unsigned long inc_indent(unsigned long n);
    unsigned long dec_indent(unsigned long n);

    Kind kind() const { return kind_; }
    bool is_terminal() const { return kind_ == Kind::terminal; }
    int columns() const { return cols_; }
    void set_columns(int c) { cols_ = c; }
    // Puts a filter in front of the terminal (the pager): text already buffered goes out first,
    // then everything goes to `sink`, no longer straight into a SinkBuffer. Captures are made with
    // SessionStreams, not with this.
    void redirect(Sink sink) {
        flush();
        direct_ = nullptr;
        sink_ = std::move(sink);
    }
    // Text straight to the sink, past the line buffer: the caller has flushed what it must.
    void emit(std::string_view text) {
        if (direct_ != nullptr)
            direct_->write(text);
        else if (sink_)
            sink_(text);
        if (tee_) tee_(text);
    }
    // A copy of everything written from now on, beside the sink (::log and $> use it); an empty
    // Sink ends it. Text already buffered is written first, so it is not copied.
    void set_tee(Sink tee) {
        flush();
        tee_ = std::move(tee);
    }

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
    bool autowrap_active() const {
        return kind_ != Kind::pipe && (force_autowrap || (autowrap_opt_ != nullptr && *autowrap_opt_));
    }
    // The autowrap test for a piece of width n (§12.1).
    bool wrap_now(size_t n) const {
        return autowrap_active() && !line_.empty() && n + line_.size() > static_cast<size_t>(cols_) &&
               !line_is_margin();
    }
    void newline();                          // '\n', hand the line to the sink, re-indent
    void tab(size_t stop);                   // pad to the next multiple of stop, or newline
    void fill(char c, size_t n);             // n copies of c (split at the column limit)
    void whitespace(size_t n);               // padding that becomes a newline at the limit
    void set_indent(bool on);                // INDENT on (pre-fill margin) / off (un-indent)
    void set_margin(unsigned long m);        // re-indents a line holding only the old margin
    const std::string& pending() const {  // current line, not yet written
        pending_.assign(line_.data(), line_.size());
        return pending_;
    }
    bool line_is_margin() const;             // the pending line is exactly the margin's blanks

    // ---- the conversion engine's fast paths ----
    // Each does what put_chunk, fill, whitespace and puts do, without a call when the text fits
    // in the line. They are defined in the output engine's own header (output/output_inline.hpp),
    // which only the engine's files include: a file that calls one without it does not link.
    Session* session() const { return session_; }  // null for a detached Output
    // Lazily pre-fill the margin of an empty line (inline: it runs before every piece of text).
    void ensure_indent() {
        if (indent && line_.empty() && !continued_ && margin != 0) indent_line();
    }
    inline void chunk_fast(const char* p, size_t n);  // text without '\t' or '\n'
    inline void fill_fast(char c, size_t n);
    inline void whitespace_fast(size_t n);
    // `special` is the first '\t' or '\n' of the text, or its end.
    inline void puts_fast(const char* p, size_t n, const char* special);
    inline void puts_fast(const char* p, size_t n);
    inline bool put_line_nowrap(const char* p, size_t n);
    inline bool put_lines_nowrap(const char* p, size_t n, size_t first);
    // mdb_snprintf's staging buffer: a pipe-like stream whose lines are cut every `bufsiz`
    // bytes, so column-dependent conversions measure within it.
    static std::unique_ptr<Output> staging(Session* s, Sink sink, size_t bufsiz);

private:

    // The pending line: a growable byte buffer that keeps its capacity. Appending a few bytes is
    // what every conversion does; this keeps it to a bounds check and a copy.
    class Line {
    public:
        Line() = default;
        Line(const Line&) = delete;
        Line& operator=(const Line&) = delete;
        size_t size() const { return size_; }
        bool empty() const { return size_ == 0; }
        const char* data() const { return data_.get(); }
        std::string_view view() const { return {data_.get(), size_}; }
        void clear() { size_ = 0; }
        void truncate(size_t n) {
            if (n < size_) size_ = n;
        }
        void append(const char* p, size_t n) {
            if (n == 0) return;
            if (n > cap_ - size_) grow(size_ + n);
            std::memcpy(data_.get() + size_, p, n);
            size_ += n;
        }
        void append(std::string_view s) { append(s.data(), s.size()); }
        void append(size_t n, char c) {
            if (n == 0) return;
            if (n > cap_ - size_) grow(size_ + n);
            std::memset(data_.get() + size_, c, n);
            size_ += n;
        }
        void push_back(char c) { append(1, c); }
        void assign(size_t n, char c) {
            size_ = 0;
            append(n, c);
        }
        void grow(size_t need);  // capacity for at least `need` bytes, contents kept

    private:
        std::unique_ptr<char[]> data_;
        size_t size_ = 0;
        size_t cap_ = 0;
    };

    Output(Session* s, Kind kind, Sink sink, int cols, size_t bufsiz);
    void put_chunk(std::string_view text);  // text without '\n' or '\t'
    void indent_line();                     // the margin's blanks into the empty line
    void put_chunk_slow(std::string_view text);
    void fill_slow(char c, size_t n);
    // put_chunk's column limit: cols with autowrap, the buffer size without.
    size_t chunk_limit() const { return autowrap_active() ? static_cast<size_t>(cols_) : bufsiz_; }
    void chunk_flush();                     // buffer full without autowrap: write, no newline
    void break_line();                      // the line is full: newline with autowrap, else chunk_flush
    size_t tab_limit() const;
    size_t effective_margin() const;

    Session* session_;  // null for a detached Output
    const bool* autowrap_opt_ = nullptr;  // &session_->autowrap, read on every piece of text
    Kind kind_;
    Sink sink_;
    Sink tee_;
    int cols_;
    Line line_;         // pending text of the current line
    mutable std::string pending_;  // pending()'s copy of line_
    size_t written_ = 0;      // bytes of line_ already handed to the sink by flush()
    bool continued_ = false;  // line_ continues a line cut by chunk_flush(): no margin
    size_t bufsiz_;     // a line longer than this is written out in pieces (illumos BUFSIZ)
    std::shared_ptr<SinkBuffer> buffer_;  // behind sink_ when built on a SinkBuffer: flush() drains it
    // buffer_ while sink_ is the one that writes into it: lines go to it without a call
    // through std::function (the cost of a line is a few conversions, so that call shows).
    SinkBuffer* direct_ = nullptr;
};

// Where a session's standard output and standard error go, given to Session's constructor.
// Text reaches a sink as it would reach a file of that kind: standard output in whole lines
// (lines longer than illumos' BUFSIZ in pieces) at the latest when a command ends.
struct SessionStreams {
    Output::Sink out;
    Output::Sink err;
    Output::Kind out_kind = Output::Kind::file;
    Output::Kind err_kind = Output::Kind::file;
    // When set, standard output collects here instead of going to `out`, and is drained at the
    // end of every command (Output::flush) and by whatever `err` does first.
    std::shared_ptr<SinkBuffer> out_buffer;

    // File descriptors 1 and 2, as the mdbsim program writes: terminal streams when descriptor 1
    // is a terminal; otherwise standard output in a 64 KiB SinkBuffer that standard error
    // drains before each write, so the two interleave as if standard output were unbuffered.
    static SessionStreams standard();
    // Appended to two strings that must outlive the session (tests and harnesses).
    static SessionStreams capture(std::string& out, std::string& err);
    // Dropped, for harnesses that only look at what a command does.
    static SessionStreams discard();
};

// mdb_printf formats are compiled once per format string and replayed (on by default, for the
// whole process). Off, every call interprets its format: the tests compare the two.
void set_printf_plans(bool on);
// A session's compiled formats so far: plans made, and mdb_printf/mdb_snprintf calls answered by
// replaying one (the rest were interpreted). The tests assert the cache is really used.
struct PrintfPlanStats {
    uint64_t compiled = 0;
    uint64_t replayed = 0;
};
PrintfPlanStats printf_plan_stats(Session& s);
// Drops a session's compiled formats: before a module's object is closed (a plan of a format
// in it is not compared with the text again, and another object may be mapped there later).
void forget_printf_plans(Session& s);

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
// n in the largest power-of-1024 unit it reaches (up to exbi): n / unit rounded down, the unit,
// its letter (' ' for plain units, then K M G T P E), and whether n is a whole number of units.
// %H and mdb_nicenum round the fraction their own ways.
struct BinaryUnits {
    uint64_t whole = 0;
    uint64_t unit = 1;
    char letter = ' ';
    bool exact = true;
};
BinaryUnits binary_units(uint64_t n);
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
