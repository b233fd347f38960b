// curl_global.cpp — curl_global_init exactly once (std::call_once).
#include "common/curl_global.hpp"

#include <curl/curl.h>

#include <mutex>

namespace pulse {

bool curl_global_ready() {
    static std::once_flag once;
    static CURLcode rc = CURLE_OK;
    std::call_once(once, [] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
    return rc == CURLE_OK;
}

}  // namespace pulse
