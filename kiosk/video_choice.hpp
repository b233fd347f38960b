// video_choice.hpp — which SDL video driver and renderer the kiosk tries, in
// order, on the machine it finds itself on (issue 12): a terminal with or
// without a GPU, under cage (Wayland with Xwayland), plain X11 or nothing
// (KMS/DRM). Pure: the environment comes in, the attempts and the reason
// for each go out; kiosk/platform.cpp tries them and cmd_run logs the one
// that worked and why the others did not.
#pragma once

#include <string>
#include <vector>

namespace pulse {

// What the kiosk can see of its machine.
struct DisplayEnvironment {
    std::string forced_driver;       // $SDL_VIDEODRIVER ("" when unset): IT's explicit choice
    bool wayland = false;            // $WAYLAND_DISPLAY is set (cage)
    bool x11 = false;                // $DISPLAY is set (cage's Xwayland, or an X session)
    bool gpu = false;                // a DRM render node (/dev/dri/renderD*) exists
    std::string renderer = "auto";   // [display] renderer: "auto", "gpu" or "software"
};

// One way to open the window: SDL's video driver, whether to draw with SDL's
// software renderer (no GPU, no GL loaded), and why this one, for the log.
struct VideoAttempt {
    std::string driver;  // "wayland", "x11", "kmsdrm" or the forced name
    bool software = false;
    std::string why;
};

// The attempts, best first; never empty. Software rendering when renderer
// is "software", or "auto" without a GPU. With both Wayland and X11 at hand,
// a software-rendered kiosk goes through X11 (Xwayland) first: SDL 2.26's
// Wayland driver has no software window framebuffer, so its renderer cannot
// be created there (libsdl-org/SDL#7532); with a GPU, native Wayland first.
// A forced driver is the only attempt.
std::vector<VideoAttempt> video_attempts(const DisplayEnvironment& env);

}  // namespace pulse
