// The text of the IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers), as the
// throttle policy writes them: RateLimit-Policy lists every limit that applied,
// `"subscription";q=1000;w=60, "burst";q=10;w=1`, and RateLimit gives the one with the least left,
// `"subscription";r=12;t=41`.
#pragma once

#include <cstdint>
#include <string>

namespace gatehouse::throttling {

// `;q=<quota>;w=<seconds>`, and `;qu="content-bytes"` for a bandwidth quota.
void append_policy_parameters(std::string& out, uint64_t quota, int64_t window_ms, bool bytes);

}  // namespace gatehouse::throttling
