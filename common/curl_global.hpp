// curl_global.hpp — libcurl's process-wide setup, shared by every libcurl
// user in Pulse (the terminal's HTTP client, the collector's SMTP sender).
#pragma once

namespace pulse {

// Runs curl_global_init once per process, before the first easy handle
// (curl_global_init is not thread-safe on its own); call it first. False if
// libcurl could not be initialised.
bool curl_global_ready();

}  // namespace pulse
