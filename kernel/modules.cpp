// The boot-module registry: a fixed table filled once at boot, names copied out of BootInfo.
#include "kernel/modules.hpp"

#include <string.h>

namespace kernel {
namespace {

kmodule g_modules[BootInfo::max_modules];
char g_names[BootInfo::max_modules][BootModule::max_name];
size_t g_count = 0;

const char* basename_of(const char* s) {
    const char* b = s;
    for (const char* p = s; *p; p++)
        if (*p == '/') b = p + 1;
    return b;
}

} // namespace

void register_modules(const BootModule* modules, size_t count) {
    if (count > BootInfo::max_modules) count = BootInfo::max_modules;
    for (size_t i = 0; i < count; i++) {
        strncpy(g_names[i], modules[i].name, BootModule::max_name - 1);
        g_names[i][BootModule::max_name - 1] = '\0';
        g_modules[i].name = g_names[i];
        g_modules[i].data = reinterpret_cast<const char*>(static_cast<uintptr_t>(modules[i].start));
        g_modules[i].size = size_t(modules[i].end - modules[i].start);
    }
    g_count = count;
}

} // namespace kernel

using kernel::g_count;
using kernel::g_modules;

extern "C" {

const struct kmodule* kmodule_find(const char* name) {
    if (name == nullptr || *name == '\0') return nullptr;
    for (size_t i = 0; i < g_count; i++)
        if (strcmp(g_modules[i].name, name) == 0) return &g_modules[i];
    const char* want = kernel::basename_of(name);
    if (*want == '\0') return nullptr;
    for (size_t i = 0; i < g_count; i++)
        if (strcmp(kernel::basename_of(g_modules[i].name), want) == 0) return &g_modules[i];
    return nullptr;
}

size_t kmodule_count(void) { return g_count; }

const struct kmodule* kmodule_at(size_t i) { return i < g_count ? &g_modules[i] : nullptr; }

} // extern "C"
