// What the built-in key manager must not forget across a restart: refresh tokens (with the family
// that rotation and reuse detection act on, and the access tokens issued in it), opaque access
// tokens, authorization codes, device codes, consents, revocations and its signing keys. Tokens and
// codes are kept only as hashes (SHA-256, hex): the store never holds a credential that could be
// replayed from a copy of the file.
//
// An interface, so that the embedded SQLite store (sqlite_grant_store.h) and the PostgreSQL store
// of a cluster are interchangeable. Calls block on the disk: the key manager makes them on its
// store thread (store_thread.h), never on a worker. A call that returned succeeded durably.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace gatehouse::keymanager {

using UnixSeconds = int64_t;

template <class T>
using StoreResult = std::expected<T, Error>;

struct RefreshTokenRecord {
  std::string token_hash;  // SHA-256 of the token, hex
  std::string family;      // shared by every token rotated from one grant
  std::string client_id;
  std::string subject;  // the end user; the client id for grants without one
  std::string scope;    // space-separated, as granted
  std::string context;  // JSON the grant keeps for the tokens it issues next (auth_time, cnf...)
  UnixSeconds issued_at = 0;
  UnixSeconds expires_at = 0;
  bool used = false;  // rotated: presenting it again is reuse, which revokes the family
};

struct AuthorizationCodeRecord {
  std::string code_hash;  // SHA-256 of the code, hex
  std::string client_id;
  std::string redirect_uri;  // exactly as the authorization request gave it
  std::string subject;
  std::string scope;
  std::string code_challenge;  // PKCE; empty: none was given
  std::string code_challenge_method;
  std::string nonce;
  std::string family;  // the refresh-token family of the tokens issued for it, once redeemed
  UnixSeconds expires_at = 0;
  bool used = false;
  UnixSeconds auth_time = 0;  // when the user logged in, for the ID token
};

struct ConsentRecord {
  std::string subject;
  std::string client_id;
  std::string scope;  // space-separated: what the user agreed to
  UnixSeconds granted_at = 0;
};

// A revoked access token, by its `jti` (a JWT's, or the claim an opaque token was stored with),
// kept until it would have expired anyway.
struct RevocationRecord {
  std::string token_id;
  UnixSeconds expires_at = 0;
};

// An access token issued within a family (a grant the user authorised), so that revoking the
// family revokes it too.
struct FamilyAccessTokenRecord {
  std::string family;
  std::string jti;
  UnixSeconds expires_at = 0;
};

// An access token of a client whose format is opaque: a random string that only this key manager
// resolves, to the claims a JWT would carry, kept here by the token's hash.
struct OpaqueTokenRecord {
  std::string token_hash;  // SHA-256 of the token, hex
  std::string jti;         // its claims' jti: what families and revocations record
  std::string claims;      // the JSON object of its claims
  UnixSeconds expires_at = 0;
};

// What revoking a family did.
struct RevokedFamily {
  size_t refresh_tokens = 0;                    // removed
  std::vector<RevocationRecord> access_tokens;  // now in the revocations, for the in-memory lists
  // The hashes of the opaque ones among them, for the in-memory table of live opaque tokens.
  std::vector<std::string> opaque_token_hashes;
};

// Where a device authorization (RFC 8628) stands: the user has not answered yet, allowed or
// denied it, or the client has its tokens.
enum class DeviceCodeStatus : uint8_t { pending, approved, denied, redeemed };

struct DeviceCodeRecord {
  std::string device_code_hash;  // SHA-256 of the device code, hex
  std::string user_code_hash;    // SHA-256 of the user code as normalised (no dash, upper case)
  std::string client_id;
  std::string scope;
  DeviceCodeStatus status = DeviceCodeStatus::pending;
  std::string subject;        // who answered; empty while pending
  UnixSeconds auth_time = 0;  // when they logged in, for the ID token
  UnixSeconds interval = 5;   // seconds the client waits between polls; grows at each slow_down
  UnixSeconds last_polled_at = 0;  // 0: never polled
  UnixSeconds expires_at = 0;
};

// A JWT assertion accepted once (RFC 7523 section 3, item 7): its issuer's jti, kept until the
// assertion could no longer be accepted anyway, so that a replay is refused.
struct UsedAssertionRecord {
  std::string issuer;
  std::string jti;
  UnixSeconds expires_at = 0;
};

struct SigningKeyRecord {
  std::string kid;
  std::string alg;          // "RS256", "ES256"...
  std::string private_pem;  // PKCS#8
  UnixSeconds created_at = 0;
  UnixSeconds retired_at = 0;  // 0: the current key; else listed until its tokens expired
};

// A client registered through the admin listener or a command: an application's consumer key for
// one key type, kept beside the config file's clients. Lists are space-separated (no grant type,
// scope or redirect URI has a space in it).
struct ClientRecord {
  std::string client_id;
  std::string application_id;
  std::string key_type;     // "PRODUCTION" or "SANDBOX"
  std::string secret_hash;  // "sha256:<hex>"
  std::string grant_types;
  std::string scopes;
  std::string redirect_uris;
  std::string access_token_format;     // "jwt" or "opaque"
  int64_t access_token_lifetime = 0;   // seconds
  int64_t refresh_token_lifetime = 0;  // seconds
  UnixSeconds created_at = 0;
  bool public_client = false;  // no secret_hash (token_endpoint_auth_method none)
  // Registered by itself (RFC 7591): "sha256:<hex>" of its registration access token, and the
  // metadata it registered, as JSON; both empty for the admin listener's clients.
  std::string registration_token_hash;
  std::string registration_metadata;
};

// An application made through the admin listener or a command.
struct ApplicationRecord {
  std::string application_id;
  std::string name;
  std::string owner;
  std::string tier;  // the application throttling tier
  UnixSeconds created_at = 0;
};

// A subscription change made through the admin listener: the subscription put, or removed.
struct SubscriptionChangeRecord {
  std::string application_id;
  std::string api;  // "Name:Version"
  bool removed = false;
  std::string tier;   // empty when removed
  std::string state;  // "UNBLOCKED", "BLOCKED"...; empty when removed
};

class GrantStore {
 public:
  virtual ~GrantStore() = default;

  // Refresh tokens.
  // False, and nothing stored, when the token's family was revoked: a grant still issuing when
  // its code was reused must not add a token to the family the reuse revoked.
  virtual StoreResult<bool> put_refresh_token(const RefreshTokenRecord& record) = 0;
  virtual StoreResult<std::optional<RefreshTokenRecord>> find_refresh_token(
      std::string_view token_hash) = 0;
  // Marks `used_hash` used and stores `next`, in one transaction. False, and nothing stored, when
  // `used_hash` is unknown or was used already (a concurrent rotation won, or a reuse).
  virtual StoreResult<bool> rotate_refresh_token(std::string_view used_hash,
                                                 const RefreshTokenRecord& next) = 0;
  // Remembers an access token issued in a family; false, and nothing stored, when the family was
  // revoked (as for put_refresh_token).
  virtual StoreResult<bool> put_family_access_token(const FamilyAccessTokenRecord& record) = 0;
  // In one transaction: removes every refresh token of the family, revokes (as put_revocation
  // does) every access token recorded in it, and marks the family revoked, so that no token joins
  // it afterwards. The caller tells its in-memory revocation lists.
  virtual StoreResult<RevokedFamily> revoke_family(std::string_view family) = 0;

  // Opaque access tokens: stored before they are handed out, loaded into memory at start.
  // opaque_tokens(now) lists those that have not expired (expires_at > now) and whose jti is not
  // revoked; a revoked one stays stored until it expires, like its revocation.
  virtual StoreResult<void> put_opaque_token(const OpaqueTokenRecord& record) = 0;
  virtual StoreResult<std::vector<OpaqueTokenRecord>> opaque_tokens(UnixSeconds now) = 0;

  // Authorization codes: stored once, redeemed once.
  virtual StoreResult<void> put_code(const AuthorizationCodeRecord& record) = 0;
  // Marks the code used and returns it as it was before (its `used` says whether it had been
  // redeemed already: a reuse); nullopt when unknown.
  virtual StoreResult<std::optional<AuthorizationCodeRecord>> redeem_code(
      std::string_view code_hash) = 0;
  // Records the family of the tokens issued for a redeemed code, for a later reuse to revoke.
  virtual StoreResult<void> set_code_family(std::string_view code_hash,
                                            std::string_view family) = 0;

  // Device codes (RFC 8628): stored at the device authorization endpoint, found by the user code
  // on the verification page and by the device code when the client polls.
  virtual StoreResult<void> put_device_code(const DeviceCodeRecord& record) = 0;
  virtual StoreResult<std::optional<DeviceCodeRecord>> find_device_code(
      std::string_view device_code_hash) = 0;
  virtual StoreResult<std::optional<DeviceCodeRecord>> find_device_code_by_user_code(
      std::string_view user_code_hash) = 0;
  // The user's answer (approved or denied, by `subject`); false, and nothing changed, when the
  // code is unknown or no longer pending.
  virtual StoreResult<bool> decide_device_code(std::string_view user_code_hash,
                                               DeviceCodeStatus decision, std::string_view subject,
                                               UnixSeconds auth_time) = 0;
  // A poll of the client: its time, the interval it must keep, and the status it leaves.
  virtual StoreResult<void> record_device_poll(std::string_view device_code_hash,
                                               UnixSeconds polled_at, UnixSeconds interval,
                                               DeviceCodeStatus status) = 0;

  // Consents, one per subject and client; a new one replaces the old.
  virtual StoreResult<void> put_consent(const ConsentRecord& record) = 0;
  virtual StoreResult<std::optional<ConsentRecord>> find_consent(std::string_view subject,
                                                                 std::string_view client_id) = 0;

  // Revoked access tokens, loaded into memory at start. Revoking one again keeps the later
  // expiry; revocations(now) lists those that have not expired (expires_at > now).
  virtual StoreResult<void> put_revocation(const RevocationRecord& record) = 0;
  virtual StoreResult<std::vector<RevocationRecord>> revocations(UnixSeconds now) = 0;

  // Records an assertion's jti as used; false, and nothing changed, when that issuer's jti is
  // recorded already and has not expired by `now` (a replay). One that expired is used anew.
  virtual StoreResult<bool> use_assertion(const UsedAssertionRecord& record, UnixSeconds now) = 0;

  // Signing keys, oldest first.
  virtual StoreResult<void> put_signing_key(const SigningKeyRecord& record) = 0;
  virtual StoreResult<std::vector<SigningKeyRecord>> signing_keys() = 0;
  // A key retired already keeps its first retirement time. An unknown kid changes nothing, for
  // this and for remove_signing_key.
  virtual StoreResult<void> retire_signing_key(std::string_view kid, UnixSeconds at) = 0;
  virtual StoreResult<void> remove_signing_key(std::string_view kid) = 0;

  // Registered clients. put_client is false, and nothing stored, when the client id is taken or
  // the application has a client of that key type already; replace_client and remove_client are
  // false when no client has the id.
  virtual StoreResult<bool> put_client(const ClientRecord& record) = 0;
  virtual StoreResult<bool> replace_client(const ClientRecord& record) = 0;
  virtual StoreResult<bool> remove_client(std::string_view client_id) = 0;
  virtual StoreResult<std::vector<ClientRecord>> clients() = 0;

  // Registered applications. put_application is false, and nothing stored, when the id is taken
  // or the owner has an application of that name. remove_application removes the application's
  // clients and subscription changes with it; it is false, and removes nothing, when no
  // application has the id.
  virtual StoreResult<bool> put_application(const ApplicationRecord& record) = 0;
  virtual StoreResult<bool> remove_application(std::string_view application_id) = 0;
  virtual StoreResult<std::vector<ApplicationRecord>> applications() = 0;

  // Subscription changes, one per application and API: a new one replaces the old.
  virtual StoreResult<void> put_subscription_change(const SubscriptionChangeRecord& record) = 0;
  virtual StoreResult<std::vector<SubscriptionChangeRecord>> subscription_changes() = 0;

  // Drops what expired by `now` (expires_at <= now): tokens (opaque access tokens too), codes,
  // device codes, revocations, the family's access tokens, revoked families' marks, used
  // assertions. Returns how many rows went.
  virtual StoreResult<size_t> purge_expired(UnixSeconds now) = 0;
};

}  // namespace gatehouse::keymanager
