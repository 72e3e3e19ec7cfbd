// Fixtures of the VM-entry checker's host tests: Bochs 2.7's capability MSRs (as measured, see
// docs/entry-checks.md), three valid base states (64-bit guest, the lecture's V86 guest on a
// 64-bit host, a real-mode unrestricted guest with EPT), fake physical memory for the MSR areas,
// and the table-driven "one rule, one minimal breakage" cases.
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "vmx/caps.hpp"
#include "vmx/entry_check.hpp"
#include "vmx/fields.hpp"

namespace entry_test {

using namespace vmx;
using namespace vmx::vmcs;
using vmx::entry::Snapshot;

enum class Model { Skylake, Penryn, Icelake, Generic };
enum class Base { Guest64, V86, Real };
const char* model_name(Model m);
const char* base_name(Base b);
VmxCaps model_caps(Model m);

// Physical memory for Snapshot::read: bytes by address, absent bytes read as 0.
struct Memory {
    std::map<uint64_t, uint8_t> bytes;
    void put32(uint64_t pa, uint32_t v);
    void put64(uint64_t pa, uint64_t v);
    // An MSR-area entry (16 bytes): index, reserved dword, data.
    void msr_entry(uint64_t pa, uint32_t index, uint64_t data, uint32_t reserved = 0);
    static bool read(void* ctx, uint64_t pa, void* out, size_t n);
};

// A snapshot and its memory. The addresses the bases use:
constexpr uint64_t kMsrAreas = 0x200000;   // exit store, exit load, entry load: +0x000/+0x400/+0x800
constexpr uint64_t kVmxRevisionPage = 0x300000;   // a VMCS-like page for link-pointer tests
struct Fixture {
    Model model;
    Snapshot s;
    Memory mem;
    void set(uint32_t enc, uint64_t v) { ASSERT_TRUE(s.set(enc, v)) << std::hex << enc; }
    uint64_t get(uint32_t enc) const { return s[enc]; }
    void set_bits(uint32_t enc, uint64_t bits) { set(enc, get(enc) | bits); }
    void clear_bits(uint32_t enc, uint64_t bits) { set(enc, get(enc) & ~bits); }
};

// A valid base state: check() reports nothing for it.
void make_base(Fixture& f, Base base, Model model);

// Findings of all areas as "id" strings, in order.
std::vector<std::string> run_check(const Fixture& f, std::vector<vmx::entry::Finding>* out = nullptr);

// One rule, broken minimally from a valid base.
struct Case {
    const char* id;
    Base base;
    Model model;
    std::function<void(Fixture&)> mutate;
};
std::ostream& operator<<(std::ostream& os, const Case& c);
// Every case of every test file, for the "every rule has a case" test.
std::vector<const Case*>& all_cases();
struct Register {
    explicit Register(const std::vector<Case>& cases);
};
// The body of every case: base passes, mutated reports exactly c.id, with fields and a hint.
void run_case(const Case& c);

} // namespace entry_test
