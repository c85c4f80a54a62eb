/* openssl.h - OpenSSL, loaded when the certificates are first looked at.
 *
 * Linked, libssl and libcrypto cost every run 0.9 ms before main() (their
 * relocations and constructors; a whole one-hook check takes 2.6 ms),
 * and only the probe's certificate inspection (tls.c) uses them. So,
 * like libcurl (libcurl.h), they are opened with dlopen() by the soname
 * of the OpenSSL whose headers hookdoctor was compiled with, and called
 * through the table below. libcurl loads the same libssl when it is
 * loaded, so tls.c and libcurl share one OpenSSL, as tls.c needs: it
 * works on libcurl's SSL_CTX.
 *
 * Each member has the type, and the name, of the OpenSSL function it
 * stands for, taken from the headers (openssl.X509_free is X509_free).
 * OpenSSL's macros (sk_X509_num, OPENSSL_free...) call the library
 * directly, so tls.c writes what they expand to, through the table.
 * Only tls.c, openssl.c, libcurl.c and the --version and report code
 * include this. */
#ifndef HD_OPENSSL_H
#define HD_OPENSSL_H

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdbool.h>

/* The functions hookdoctor uses, as X(name). */
#define OPENSSL_FUNCTIONS(X) \
	X(OpenSSL_version) X(OpenSSL_version_num) \
	X(CRYPTO_free) X(ERR_clear_error) X(EVP_sha256) X(OBJ_obj2nid) \
	X(OPENSSL_sk_num) X(OPENSSL_sk_value) X(OPENSSL_sk_new_null) \
	X(OPENSSL_sk_push) X(OPENSSL_sk_dup) X(OPENSSL_sk_free) \
	X(OPENSSL_sk_pop_free) \
	X(ASN1_STRING_get0_data) X(ASN1_STRING_length) \
	X(ASN1_STRING_to_UTF8) X(ASN1_TIME_diff) X(ASN1_TIME_to_tm) \
	X(AUTHORITY_INFO_ACCESS_free) X(GENERAL_NAMES_free) \
	X(BIO_ctrl) X(BIO_free) X(BIO_new) X(BIO_new_file) \
	X(BIO_new_mem_buf) X(BIO_s_mem) \
	X(PEM_read_bio_PKCS7) X(PEM_read_bio_X509) X(PKCS7_free) \
	X(d2i_PKCS7) X(d2i_X509) \
	X(SSL_CIPHER_get_name) X(SSL_CTX_ctrl) \
	X(SSL_CTX_set_cert_verify_callback) X(SSL_CTX_set_security_level) \
	X(SSL_get_current_cipher) X(SSL_get_ex_data_X509_STORE_CTX_idx) \
	X(SSL_get_pending_cipher) X(SSL_get_version) X(SSL_version) \
	X(X509_LOOKUP_ctrl) X(X509_LOOKUP_hash_dir) \
	X(X509_NAME_ENTRY_get_data) X(X509_NAME_get_entry) \
	X(X509_NAME_get_index_by_NID) X(X509_NAME_print_ex) \
	X(X509_STORE_CTX_free) X(X509_STORE_CTX_get0_cert) \
	X(X509_STORE_CTX_get0_param) X(X509_STORE_CTX_get0_untrusted) \
	X(X509_STORE_CTX_get1_chain) X(X509_STORE_CTX_get_current_cert) \
	X(X509_STORE_CTX_get_error) X(X509_STORE_CTX_get_error_depth) \
	X(X509_STORE_CTX_get_ex_data) X(X509_STORE_CTX_init) \
	X(X509_STORE_CTX_new) X(X509_STORE_CTX_set_purpose) \
	X(X509_STORE_add_cert) X(X509_STORE_add_lookup) X(X509_STORE_free) \
	X(X509_STORE_load_file) X(X509_STORE_new) \
	X(X509_VERIFY_PARAM_set_flags) \
	X(X509_check_host) X(X509_check_ip_asc) X(X509_cmp) \
	X(X509_cmp_current_time) X(X509_digest) X(X509_free) \
	X(X509_get0_notAfter) X(X509_get0_notBefore) \
	X(X509_get_default_cert_dir) X(X509_get_default_cert_dir_env) \
	X(X509_get_default_cert_file) X(X509_get_default_cert_file_env) \
	X(X509_get_ext_d2i) X(X509_get_issuer_name) \
	X(X509_get_subject_name) X(X509_self_signed) X(X509_up_ref) \
	X(X509_verify_cert) X(X509_verify_cert_error_string)

#define OPENSSL_MEMBER(name) __typeof__(name) *name;
struct openssl {
	OPENSSL_FUNCTIONS(OPENSSL_MEMBER)
};
#undef OPENSSL_MEMBER

/* Filled by openssl_need() or openssl_load(); read-only afterwards. */
extern struct openssl openssl;

/* Loads OpenSSL once (thread-safe); later calls return the first answer.
 * Returns false with the reason in *why (if why is not NULL) when it
 * cannot be loaded (dlerror()'s text), lacks a function, or is of
 * another major version than the headers. */
bool openssl_load(const char **why);

/* openssl_load(), or a one-line error on stderr and exit 3. */
void openssl_need(void);

/* OpenSSL's version text ("OpenSSL 3.0.17 1 Jul 2025"), loading it; NULL
 * with the reason in *why (if not NULL) when it cannot be loaded. */
const char *openssl_version(const char **why);

#endif
