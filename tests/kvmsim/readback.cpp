#include "readback.hpp"

#include <fmt/format.h>

#include <functional>
#include <stdexcept>

namespace mdbsim::kvmsim_test {

bool readable(const sim::Target& t, uint64_t addr, uint64_t len) {
    try {
        std::vector<uint8_t> buf(len);
        t.get_bytes(addr, buf.data(), len);
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

ListWalk walk_list(const sim::Target& t, uint64_t list_addr, size_t limit) {
    ListWalk w;
    try {
        const uint64_t size = t.peek<uint64_t>(list_addr);
        const uint64_t offset = t.peek<uint64_t>(list_addr + 8);
        const uint64_t sentinel = list_addr + 16;
        uint64_t pos = t.peek<uint64_t>(sentinel);
        while (pos != sentinel) {
            if (w.elements.size() >= limit) {
                w.error = fmt::format("more than {} elements", limit);
                return w;
            }
            const uint64_t obj = pos - offset;
            if (!readable(t, obj, size)) {
                w.error = fmt::format("failed to read list element at {:#x}", obj);
                return w;
            }
            w.elements.push_back(obj);
            pos = t.peek<uint64_t>(pos);
        }
        w.reached_sentinel = true;
    } catch (const std::runtime_error& e) {
        w.error = e.what();
    }
    return w;
}

AvlWalk walk_avl(const sim::Target& t, uint64_t tree_addr, size_t limit) {
    AvlWalk w;
    size_t steps = 0;
    try {
        const uint64_t root = t.peek<uint64_t>(tree_addr);
        const uint64_t offset = t.peek<uint64_t>(tree_addr + 16);
        auto leftmost = [&](uint64_t node) {
            while (true) {
                if (++steps > limit)
                    throw std::runtime_error("step limit");
                const uint64_t left = t.peek<uint64_t>(node);
                if (!left)
                    return node;
                node = left;
            }
        };
        uint64_t node = root ? leftmost(root) : 0;
        while (node) {
            if (w.objects.size() >= limit || ++steps > limit)
                throw std::runtime_error("step limit");
            w.objects.push_back(node - offset);
            const uint64_t right = t.peek<uint64_t>(node + 8);
            if (right) {
                node = leftmost(right);
                continue;
            }
            // Climb while we are a right child.
            uint64_t cur = node;
            while (true) {
                if (++steps > limit)
                    throw std::runtime_error("step limit");
                const uint64_t pcb = t.peek<uint64_t>(cur + 16);
                const uint64_t parent = pcb & ~uint64_t{7};
                const bool was_right = (pcb >> 2) & 1;
                if (!parent) {
                    node = 0;
                    break;
                }
                if (!was_right) {
                    node = parent;
                    break;
                }
                cur = parent;
            }
        }
        w.complete = true;
    } catch (const std::runtime_error& e) {
        w.error = e.what();
    }
    return w;
}

std::vector<std::string> check_avl(const sim::Target& t, uint64_t tree_addr, uint64_t key_offset) {
    std::vector<std::string> problems;
    const uint64_t root = t.peek<uint64_t>(tree_addr);
    const uint64_t offset = t.peek<uint64_t>(tree_addr + 16);
    uint64_t count = 0;
    std::optional<uint64_t> last_key;
    std::function<int(uint64_t, uint64_t, int, int)> visit = [&](uint64_t node, uint64_t parent, int which, int depth) -> int {
        if (!node)
            return 0;
        if (depth > 64) {
            problems.push_back(fmt::format("node {:#x}: deeper than 64 (cycle?)", node));
            return 0;
        }
        ++count;
        if (node % 8)
            problems.push_back(fmt::format("node {:#x} is not 8-byte aligned", node));
        const uint64_t left = t.peek<uint64_t>(node), right = t.peek<uint64_t>(node + 8);
        const uint64_t pcb = t.peek<uint64_t>(node + 16);
        if ((pcb & ~uint64_t{7}) != parent)
            problems.push_back(fmt::format("node {:#x}: parent {:#x}, pcb says {:#x}", node, parent, pcb & ~uint64_t{7}));
        if (parent && int((pcb >> 2) & 1) != which)
            problems.push_back(fmt::format("node {:#x}: child index {}, pcb says {}", node, which, (pcb >> 2) & 1));
        const int hl = visit(left, node, 0, depth + 1);
        const uint64_t key = t.peek<uint64_t>(node - offset + key_offset);
        if (last_key && key <= *last_key)
            problems.push_back(fmt::format("node {:#x}: key {:#x} not above {:#x}", node, key, *last_key));
        last_key = key;
        const int hr = visit(right, node, 1, depth + 1);
        const int balance = hr - hl;
        if (balance < -1 || balance > 1)
            problems.push_back(fmt::format("node {:#x}: unbalanced ({})", node, balance));
        else if (int(pcb & 3) - 1 != balance)
            problems.push_back(fmt::format("node {:#x}: balance {}, pcb says {}", node, balance, int(pcb & 3) - 1));
        return 1 + std::max(hl, hr);
    };
    visit(root, 0, 0, 0);
    const uint64_t numnodes = t.peek<uint64_t>(tree_addr + 24);
    if (numnodes != count)
        problems.push_back(fmt::format("avl_numnodes {} but {} nodes reachable", numnodes, count));
    return problems;
}

std::vector<uint64_t> memseg_chain(const sim::Target& t, size_t limit) {
    const sim::Symbol* s = t.symbols().lookup("memsegs");
    if (!s)
        throw std::runtime_error("no memsegs symbol");
    std::vector<uint64_t> chain;
    for (uint64_t m = t.peek<uint64_t>(s->value()); m; m = t.peek<uint64_t>(m + 0x20)) {
        if (chain.size() >= limit)
            throw std::runtime_error("memseg chain does not end");
        chain.push_back(m);
    }
    return chain;
}

std::optional<uint64_t> pfn2page(const sim::Target& t, uint64_t pfn) {
    for (uint64_t m : memseg_chain(t)) {
        const uint64_t pages = t.peek<uint64_t>(m), base = t.peek<uint64_t>(m + 0x10), end = t.peek<uint64_t>(m + 0x18);
        if (pfn < base || pfn >= end)
            continue;
        const uint64_t page = pages + 120 * (pfn - base);
        if (!readable(t, page, 120) || t.peek<uint64_t>(page + 0x58) != pfn)
            return std::nullopt;
        return page;
    }
    return std::nullopt;
}

}  // namespace mdbsim::kvmsim_test
