// The tokens tests' independent JWT implementation: pyjwt_tool.py (PyJWT and cryptography), run
// through /usr/bin/python3. Its keys are made once per test run in a temporary directory.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace gatehouse::tokens::testing {

inline const std::string tool =
    "/usr/bin/python3 " + std::string(GATEHOUSE_SOURCE_DIR) + "/tests/unit/tokens/pyjwt_tool.py";

// Standard output without its final newline, or nullopt when the command failed.
inline std::optional<std::string> run(const std::string& command) {
  std::FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  char chunk[4096];
  while (size_t n = std::fread(chunk, 1, sizeof chunk, pipe)) output.append(chunk, n);
  if (pclose(pipe) != 0) return std::nullopt;
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

class Workspace {
 public:
  static const Workspace& get() {
    static const Workspace workspace;
    return workspace;
  }

  // rsa.key.pem, other_rsa.key.pem, p256.key.pem, ed25519.key.pem
  std::string key(const std::string& name) const { return (dir_ / name).string(); }

  std::string write(const std::string& name, const std::string& text) const {
    const std::filesystem::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  Workspace(const Workspace&) = delete;
  ~Workspace() { std::filesystem::remove_all(dir_); }

 private:
  Workspace() {
    char pattern[] = "/tmp/gatehouse-tokens-XXXXXX";
    if (mkdtemp(pattern) == nullptr) std::abort();
    dir_ = pattern;
    if (!run(tool + " keys " + dir_.string())) ADD_FAILURE() << "pyjwt_tool.py keys failed";
  }

  std::filesystem::path dir_;
};

// PyJWT's verification of `token` with the key set `jwks`: {"header", "claims"}, or nullopt when
// PyJWT refuses the token.
inline std::optional<boost::json::object> pyjwt_verify(const std::string& token,
                                                       const std::string& jwks) {
  const Workspace& ws = Workspace::get();
  const auto printed =
      run(tool + " verify " + ws.write("token.jwt", token) + " " + ws.write("jwks.json", jwks));
  if (!printed) return std::nullopt;
  return boost::json::parse(*printed).as_object();
}

// Whether a backend that verifies backend JWTs as docs/config.md says (PyJWT's checks, with
// `audience` when the API's backend_jwt sets one, and typ "JWT") accepts `token`.
inline bool backend_accepts(const std::string& token, const std::string& jwks,
                            const std::string& audience = "") {
  const Workspace& ws = Workspace::get();
  return run(tool + " backend-accepts " + ws.write("token.jwt", token) + " " +
             ws.write("jwks.json", jwks) + " " + audience)
      .has_value();
}

// A JWT that PyJWT signs with the private key file `key`.
inline std::string pyjwt_sign(const std::string& key, const std::string& alg,
                              const std::string& kid, const boost::json::object& claims) {
  const Workspace& ws = Workspace::get();
  const auto token = run(tool + " sign " + key + " " + alg + " " + kid + " " +
                         ws.write("claims.json", boost::json::serialize(claims)));
  EXPECT_TRUE(token) << "pyjwt_tool.py sign failed";
  return token.value_or("");
}

// An HS256 JWT whose secret is the PEM public key of the private key file `key`.
inline std::string hs256_with_public_key(const std::string& key, const std::string& kid,
                                         const boost::json::object& claims) {
  const Workspace& ws = Workspace::get();
  const auto token = run(tool + " hs256 " + key + " " + kid + " " +
                         ws.write("claims.json", boost::json::serialize(claims)));
  EXPECT_TRUE(token) << "pyjwt_tool.py hs256 failed";
  return token.value_or("");
}

}  // namespace gatehouse::tokens::testing
