#ifndef HX_PROBES_FAKE_ID_H
#define HX_PROBES_FAKE_ID_H
/*
 * User ids no account has, of the target's shape (profile
 * identity.id_format), for the checks that send an unknown user's id: so
 * that they meet the target's answer to an unknown user, and not to a
 * malformed id. Pure string building from random bytes the caller draws.
 */
#include <stddef.h>

/* Enough random bytes for any id hx_fake_user_id builds into out_size. */
#define HX_FAKE_ID_RANDOM(out_size) ((out_size) > 16 ? (out_size) : 16)

/* format "uuid" (or NULL): a version-4 UUID from rnd[0..15]. "opaque": an
 * id as long as real_id (one the target gave) whose every letter or digit
 * is drawn by rnd[i] from the classes real_id uses (digits, lower case,
 * upper case), any other character kept where it is; without a real_id,
 * a UUID. rnd holds HX_FAKE_ID_RANDOM(out_size) bytes. Returns 0, or
 * HX_E_TOOLONG when out cannot hold it. */
int hx_fake_user_id(const char *format, const char *real_id, const unsigned char *rnd, char *out,
                    size_t out_size);

#endif
