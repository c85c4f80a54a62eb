/* sha256.h - SHA-256 (FIPS 180-4) of a buffer, for redaction fingerprints.
 *
 * OpenSSL has it, but in OpenSSL 3 the first digest of a process loads
 * the default provider and fetches the algorithm: some 5 million
 * instructions (1.5 ms), which was a fifth of checking one hook offline.
 * A fingerprint needs nothing of that. tests/unit checks this one against
 * the standard's vectors and against OpenSSL's EVP_Digest. */
#ifndef HD_SHA256_H
#define HD_SHA256_H

#include <stddef.h>

#define SHA256_LEN 32

void sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);

#endif
