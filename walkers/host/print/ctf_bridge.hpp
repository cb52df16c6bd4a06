// What the type dcmds need from the type layer beyond the module API's mdb_ctf_* functions:
// integer and float encodings (illumos keeps mdb_ctf_type_encoding out of the public header
// too), and the writable container of ::typedef's synthetic types. ctf_bridge.cpp maps these
// onto walkers/host/types/ (the ctf helper's layer), so the rest of print/ is written against
// mdb's own interface, as mdb_print.c is.
#pragma once

#include <mdb/mdb_ctf.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mdbsim::host::print {

// libctf's ctf_encoding_t, with its flag values (identical in illumos and GNU libctf).
struct Encoding {
    uint32_t format = 0;  // kIntSigned... for integers, kFp... for floats
    uint32_t offset = 0;
    uint32_t bits = 0;
};
inline constexpr uint32_t kIntSigned = 0x01;
inline constexpr uint32_t kIntChar = 0x02;
inline constexpr uint32_t kIntBool = 0x04;
inline constexpr uint32_t kIntVarargs = 0x08;
inline constexpr uint32_t kFpSingle = 1;
inline constexpr uint32_t kFpDouble = 2;
inline constexpr uint32_t kFpLongDouble = 6;

// 0, or -1 with errno set (not an integer, float or enum).
int type_encoding(mdb_ctf_id_t id, Encoding* e);

// ---- ::typedef's synthetic types ----
// Each returns 0, or -1 with errno set; new types are visible to mdb_ctf_lookup_by_name at once.
enum class DataModel { ilp32, lp64 };
int synthetic_create_base(DataModel model);   // fails when the intrinsic types already exist
int synthetic_reset();                         // ::typedef -d
int synthetic_add_typedef(const char* name, mdb_ctf_id_t type, mdb_ctf_id_t* out);
int synthetic_add_sou(bool is_union, const char* tag /* null: unnamed */, mdb_ctf_id_t* out);
int synthetic_add_member(mdb_ctf_id_t sou, const char* name, mdb_ctf_id_t type);
int synthetic_add_pointer(mdb_ctf_id_t to, mdb_ctf_id_t* out);
int synthetic_add_array(mdb_ctf_id_t contents, mdb_ctf_id_t index, uint32_t nelems, mdb_ctf_id_t* out);
// A point to return to: a ::typedef that fails half-way leaves nothing of its struct behind.
struct SyntheticMark {
    void* dict = nullptr;
    unsigned long id = 0, snapshot = 0;
};
int synthetic_mark(SyntheticMark* mark);
int synthetic_rollback(const SyntheticMark& mark);
// Every type of the synthetic container, in the order they were added.
int synthetic_iter(const std::function<int(mdb_ctf_id_t)>& cb);
// ::typedef -r (TypeSystem::import_file): *left_out gets "struct x of child" for each type of an
// archive's child left out because the container already held another type of that name.
int synthetic_import(const std::string& file, std::vector<std::string>* left_out);
int synthetic_export(const std::string& file);  // ::typedef -w

}  // namespace mdbsim::host::print
