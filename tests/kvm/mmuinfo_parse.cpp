#include "mmuinfo_parse.hpp"

#include <regex>

#include "kvm_harness.hpp"

namespace kvmtest {

using mdbsim::sim::kvm::GuestExtent;

MmuListing parse_mmuinfo(const std::string& out) {
    MmuListing m;
    static const std::regex entry(R"(^( *)\[(\d+)\]  0x([0-9a-f]+)  \(hpa 0x([0-9a-f]+)\)$)");
    std::vector<std::string> ls = lines(out);
    // Guest address bits chosen so far, per level (4..1), from the entries above.
    uint64_t index_at[5] = {0, 0, 0, 0, 0};
    bool in_tables = false;
    for (size_t i = 0; i < ls.size(); ++i) {
        const std::string& l = ls[i];
        std::smatch sm;
        if (std::regex_match(l, sm, entry)) {
            in_tables = true;
            m.entries++;
            int level = 4 - (static_cast<int>(sm[1].length()) - 4) / 4;
            if (level < 1 || level > 4) {
                m.error = "bad indent: " + l;
                return m;
            }
            index_at[level] = std::stoull(sm[2]);
            uint64_t pfn = std::stoull(sm[4], nullptr, 16);
            bool leaf = i + 1 < ls.size() && ls[i + 1].find("^^--") != std::string::npos &&
                        ls[i + 1].find("ERROR: no private data") != std::string::npos;
            bool labelled = i + 1 < ls.size() && ls[i + 1].find("^^-- leaf:") != std::string::npos;
            if (leaf || labelled) {
                uint64_t va = 0;
                for (int lv = 4; lv >= level; --lv) va |= index_at[lv] << (12 + 9 * (lv - 1));
                uint64_t frames = level == 1 ? 1 : level == 2 ? 512 : 512 * 512;
                m.leaves.push_back({mdbsim::sim::kvm::canonical(va), pfn, frames, level > 1});
            }
            continue;
        }
        if (!in_tables) {
            m.header.push_back(l);
            continue;
        }
        if (l.find("^^--") != std::string::npos) {
            m.notes.push_back(l.substr(l.find("^^--")));
        } else if (l.empty()) {
            m.tables++;
        }
    }
    // The last empty line closes the dcmd, not a table.
    if (m.tables > 0) m.tables--;
    m.leaves = mdbsim::sim::kvm::coalesce(m.leaves);
    return m;
}

}  // namespace kvmtest
