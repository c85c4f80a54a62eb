/*
 * jsonmem.h - the allocator behind cJSON in hookdoctor.
 *
 * Checking one hook builds and frees a few hundred cJSON nodes and short
 * strings (the hook parsed twice, the sample action, the rendered bodies,
 * the evidence of 56 findings). Through glibc's malloc that was a quarter
 * of the instructions of `check --offline` on 10,000 hooks: its per-thread
 * cache holds 7 blocks of a size, and a tree of hundreds of nodes of one
 * size spills past it into the arena's slow path. Here small blocks come
 * from free lists per thread and size class, so that freeing and
 * allocating again costs a few instructions. See docs/design.md, "A sixth
 * round".
 *
 * Only cJSON uses it (cJSON_InitHooks), so anything cJSON allocates must be
 * freed with cJSON_free() and anything handed to cJSON to own must come
 * from cJSON_malloc(): plain free() on such a block, or cJSON_free() on a
 * block from malloc(), is a bug, and jsonmem_free() aborts on the latter.
 *
 * Builds with AddressSanitizer and the valgrind build (-DHD_JSON_MALLOC)
 * leave cJSON on malloc(), so that those tools see every node; the unit
 * test exercises the allocator itself in every build.
 */
#ifndef HD_JSONMEM_H
#define HD_JSONMEM_H

#include <stdbool.h>
#include <stddef.h>

/* Makes cJSON allocate through jsonmem_alloc()/jsonmem_free(), unless this
 * build leaves it on malloc(). Call once, before any thread starts and
 * before anything is parsed. Returns whether the hooks were installed. */
bool jsonmem_init(void);

/* malloc()/free() for cJSON. Blocks are aligned as malloc()'s are. A block
 * may be freed by any thread; it then serves that thread. Blocks of up to
 * JSONMEM_SMALL bytes are never given back to the system before
 * jsonmem_release(); larger ones are malloc()'d. */
#define JSONMEM_SMALL 256
void *jsonmem_alloc(size_t size);
void jsonmem_free(void *p);

/* Gives every chunk back to the system and cJSON back to malloc(). Only
 * at the end of the program, when no other thread runs and no cJSON value
 * made through the hooks is still in use. */
void jsonmem_release(void);

#endif
