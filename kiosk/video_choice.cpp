// video_choice.cpp — the order of video drivers to try (see video_choice.hpp).
#include "kiosk/video_choice.hpp"

namespace pulse {

std::vector<VideoAttempt> video_attempts(const DisplayEnvironment& env) {
    const bool software = env.renderer == "software" || (env.renderer == "auto" && !env.gpu);
    const std::string renderer_why = env.renderer == "software" ? "software rendering ([display] renderer = \"software\")"
                                     : env.renderer == "gpu"    ? "GPU rendering ([display] renderer = \"gpu\")"
                                     : software                  ? "software rendering (no GPU: no /dev/dri/renderD*)"
                                                                 : "GPU rendering (a GPU: /dev/dri/renderD*)";
    if (!env.forced_driver.empty()) {
        return {{env.forced_driver, software, "SDL_VIDEODRIVER=" + env.forced_driver + " given; " + renderer_why}};
    }
    const VideoAttempt wayland{"wayland", software, "native Wayland (WAYLAND_DISPLAY); " + renderer_why};
    const VideoAttempt x11{"x11", software,
                           std::string(env.wayland ? "X11 through Xwayland (DISPLAY)" : "X11 (DISPLAY)") + "; " +
                               renderer_why +
                               (software && env.wayland ? ", which SDL's Wayland driver cannot show (SDL#7532)" : "")};
    if (env.wayland && env.x11) {
        if (software) return {x11, wayland};
        return {wayland, x11};
    }
    if (env.wayland) return {wayland};
    if (env.x11) return {x11};
    return {{"kmsdrm", software, "no display server: the screen directly (KMS/DRM); " + renderer_why}};
}

}  // namespace pulse
