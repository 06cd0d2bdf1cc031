// Test vectors made by an independent implementation (make_vectors.py: PyJWT and cryptography),
// generated once per test run into a temporary directory, so no token is ever made by our code.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace gatehouse::jose::testing {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), {}};
}

inline const std::string python = "/usr/bin/python3";
inline const std::string script =
    std::string(GATEHOUSE_SOURCE_DIR) + "/tests/unit/jose/make_vectors.py";

class Vectors {
 public:
  static const Vectors& get() {
    static const Vectors vectors;
    return vectors;
  }

  std::filesystem::path file(const std::string& name) const { return dir_ / name; }
  std::string text(const std::string& name) const { return read_text(dir_ / name); }
  const boost::json::object& cases() const { return cases_; }

  Vectors(const Vectors&) = delete;
  ~Vectors() { std::filesystem::remove_all(dir_); }

 private:
  Vectors() {
    char pattern[] = "/tmp/gatehouse-jose-XXXXXX";
    if (mkdtemp(pattern) == nullptr) std::abort();
    dir_ = pattern;
    const std::string command = python + " " + script + " " + dir_.string();
    if (std::system(command.c_str()) != 0) {
      ADD_FAILURE() << "make_vectors.py failed: " << command;
      return;
    }
    cases_ = boost::json::parse(text("cases.json")).as_object();
  }

  std::filesystem::path dir_;
  boost::json::object cases_;
};

}  // namespace gatehouse::jose::testing
