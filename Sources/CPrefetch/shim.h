/* A cache prefetch hint for Swift's hot loops: Swift has no spelling of its own for it. Header-only, nothing to link. */
static inline void amoro_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
