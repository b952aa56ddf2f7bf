// SPDX-License-Identifier: Apache-2.0
// Result<T>: a value or an Error naming the offending field (g++ 12 has no std::expected
// in C++20 mode). Used by the control plane and startup; never on the fast path.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace strait {

enum class ErrorCode {
    InvalidArgument,  // bad value in input (config field, API body, CLI flag)
    NotFound,
    Conflict,         // e.g. change needs a restart, duplicate entry
    Unavailable,      // a resource (port, memory, file) could not be obtained
    Internal,
};

/// An error with the JSON pointer (or flag name) of the bad field and a sentence for humans.
struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string field;
    std::string message;

    /// "field: message", or just the message when no field applies.
    [[nodiscard]] std::string to_string() const {
        return field.empty() ? message : field + ": " + message;
    }
};

inline Error invalid(std::string field, std::string message) {
    return Error{ErrorCode::InvalidArgument, std::move(field), std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

/// Result of an operation that yields nothing on success.
struct Ok {};
using Status = Result<Ok>;

}  // namespace strait
