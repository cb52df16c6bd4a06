#include "mdbsim/sim/symbols.hpp"

#include <algorithm>

namespace mdbsim::sim {

const Symbol& SymbolTable::add(std::string object, std::string name, uint64_t value, uint64_t size,
                               unsigned char type, unsigned char bind, GElf_Section shndx) {
    if (object_rank_.find(object) == object_rank_.end()) {
        object_rank_.emplace(object, objects_.size());
        objects_.push_back(object);
    }
    Symbol sym;
    sym.name = name;
    sym.object = object;
    sym.sym.st_value = value;
    sym.sym.st_size = size;
    sym.sym.st_info = static_cast<unsigned char>(GELF_ST_INFO(bind, type));
    sym.sym.st_shndx = shndx;
    by_value_stale_ = true;

    auto& same_name = by_name_[name];
    for (size_t i : same_name)
        if (symbols_[i].object == object)
            return symbols_[i] = std::move(sym);
    same_name.push_back(symbols_.size());
    symbols_.push_back(std::move(sym));
    return symbols_.back();
}

size_t SymbolTable::object_rank(std::string_view object) const {
    auto it = object_rank_.find(object);
    return it == object_rank_.end() ? objects_.size() : it->second;
}

void SymbolTable::for_each_name(std::string_view prefix, const std::function<bool(const std::string&)>& fn) const {
    for (auto it = by_name_.lower_bound(prefix); it != by_name_.end(); ++it) {
        if (it->first.compare(0, prefix.size(), prefix) != 0) break;
        if (!fn(it->first)) break;
    }
}

const Symbol* SymbolTable::lookup(std::string_view name) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end())
        return nullptr;
    const Symbol* best = nullptr;
    for (size_t i : it->second)
        if (!best || object_rank(symbols_[i].object) < object_rank(best->object))
            best = &symbols_[i];
    return best;
}

const Symbol* SymbolTable::lookup(std::string_view object, std::string_view name) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end())
        return nullptr;
    for (size_t i : it->second)
        if (symbols_[i].object == object)
            return &symbols_[i];
    return nullptr;
}

bool SymbolTable::set_type(std::string_view object, std::string_view name, std::string type) {
    const Symbol* s = lookup(object, name);
    if (!s) return false;
    symbols_[static_cast<size_t>(s - symbols_.data())].type = std::move(type);
    return true;
}

const std::vector<size_t>& SymbolTable::by_value() const {
    if (!by_value_stale_ && by_value_.size() == symbols_.size())
        return by_value_;
    by_value_.resize(symbols_.size());
    for (size_t i = 0; i < symbols_.size(); ++i)
        by_value_[i] = i;
    std::sort(by_value_.begin(), by_value_.end(), [this](size_t a, size_t b) {
        const Symbol& x = symbols_[a];
        const Symbol& y = symbols_[b];
        if (x.value() != y.value())
            return x.value() < y.value();
        size_t rx = object_rank(x.object), ry = object_rank(y.object);
        return rx != ry ? rx < ry : a < b;
    });
    last_unsized_.assign(by_value_.size(), -1);
    max_size_ = 0;
    std::ptrdiff_t last = -1;
    for (size_t p = 0; p < by_value_.size(); ++p) {
        const Symbol& s = symbols_[by_value_[p]];
        if (s.size() == 0)
            last = static_cast<std::ptrdiff_t>(p);
        max_size_ = std::max(max_size_, s.size());
        last_unsized_[p] = last;
    }
    by_value_stale_ = false;
    return by_value_;
}

const Symbol* SymbolTable::lookup_by_addr(uint64_t addr, bool exact) const {
    const auto& order = by_value();
    auto value_at = [&](size_t p) { return symbols_[order[p]].value(); };
    size_t top = static_cast<size_t>(
        std::upper_bound(order.begin(), order.end(), addr,
                         [this](uint64_t a, size_t i) { return a < symbols_[i].value(); }) -
        order.begin());
    // Walk down one group of equal values at a time; within a group a sized symbol that covers
    // addr is preferred to a zero-sized one, then earlier objects, then earlier additions.
    while (top > 0) {
        uint64_t v = value_at(top - 1);
        if (exact && v != addr)
            return nullptr;
        if (!exact && addr - v >= max_size_) {
            // No sized symbol from here down can reach addr: only a zero-sized one can match.
            std::ptrdiff_t z = last_unsized_[top - 1];
            if (z < 0)
                return nullptr;
            top = static_cast<size_t>(z) + 1;
            v = value_at(top - 1);
        }
        size_t bottom = top;
        while (bottom > 0 && value_at(bottom - 1) == v)
            --bottom;
        const Symbol* best = nullptr;
        for (size_t p = bottom; p < top; ++p) {
            const Symbol& s = symbols_[order[p]];
            const bool covers = s.size() != 0 && addr - v < s.size();
            if (!(exact || s.size() == 0 || covers))
                continue;
            if (!best || (best->size() == 0 && covers))
                best = &s;
        }
        if (best)
            return best;
        top = bottom;
    }
    return nullptr;
}

std::vector<std::string> SymbolTable::objects() const { return objects_; }

bool SymbolTable::has_object(std::string_view object) const {
    return object_rank_.find(object) != object_rank_.end();
}

}  // namespace mdbsim::sim
