// test_out_of_order.cpp — `pulse-kiosk out-of-order`, what tty1 shows after a
// crash loop (pulse-kiosk-out-of-order.service): the drawn out-of-order screen
// with the code CRASH-LOOP, from a good config and, just the same, from one
// that does not load. Its PNGs go to <build>/screenshots/ (look at them).
#include "process.hpp"
#include "temp_file.hpp"

#include <doctest/doctest.h>
#include <stb_image.h>

#include <cstdint>

// This file's own namespace: test files are compiled several to a unit (unity build).
namespace kiosk_test_out_of_order {

using namespace pulse::testing;
namespace fs = std::filesystem;

namespace {

struct Picture {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;
    long count(std::uint32_t colour) const {  // pixels of exactly 0xRRGGBB
        long n = 0;
        for (std::size_t i = 0; i + 2 < rgb.size(); i += 3) {
            n += static_cast<std::uint32_t>((rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]) == colour;
        }
        return n;
    }
};

// Runs `pulse-kiosk out-of-order --config config --shot <dir>/<name>.png`,
// copies the PNG to <build>/screenshots/out-of-order-<name>.png and loads it.
Picture shot(const fs::path& dir, const fs::path& config, const std::string& name, std::string* log) {
    const fs::path png = dir / (name + ".png");
    const ProcessResult r = run_process({PULSE_KIOSK_EXE, "out-of-order", "--config", config.string(), "--shot", png.string()},
                                        {"SDL_VIDEODRIVER=dummy", "SDL_AUDIODRIVER=dummy"}, dir, 60);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    *log = r.err;
    const fs::path shots = fs::path(PULSE_BINARY_DIR) / "screenshots";
    fs::create_directories(shots);
    fs::copy_file(png, shots / ("out-of-order-" + name + ".png"), fs::copy_options::overwrite_existing);
    Picture p;
    int channels = 0;
    unsigned char* data = stbi_load(png.c_str(), &p.width, &p.height, &channels, 3);
    REQUIRE(data);
    p.rgb.assign(data, data + static_cast<std::size_t>(p.width) * p.height * 3);
    stbi_image_free(data);
    return p;
}

std::string config_text(const std::string& language) {
    return "[terminal]\nid = \"t-1\"\nworkplace = \"w\"\nlanguage = \"" + language + "\"\n\n[pulse]\nquestions = \"" +
           std::string(PULSE_SOURCE_DIR) + "/config/questions.toml\"\n\n[storage]\ndatabase = \"answers.sqlite3\"\n\n"
           "[display]\nfullscreen = false\nwidth = 1920\nheight = 1080\ndiagonal_inch = 23.8\n";
}

}  // namespace

TEST_CASE("out-of-order draws the out-of-order screen with CRASH-LOOP, and the same from a config that does not load") {
    const fs::path dir = temp_folder();
    std::string log;
    const Picture good = shot(dir, write_file(dir / "good.toml", config_text("da")), "da", &log);
    CHECK(good.width == 1920);
    CHECK(good.height == 1080);
    CHECK(good.count(0xB3261E) > 1000);  // the fault bar, visible from afar
    CHECK(good.count(0xF6F4EF) > good.width * good.height / 2);  // the calm background
    CHECK_FALSE(fs::exists(dir / "answers.sqlite3"));  // no database opened, let alone made

    // A config broken by whatever broke the kiosk: the installed texts, Danish, full screen.
    const Picture broken = shot(dir, write_file(dir / "broken.toml", "[terminal\nid = \n"), "broken", &log);
    CHECK(log.find("the config does not load: ") != std::string::npos);
    CHECK(log.find("broken.toml:1") != std::string::npos);
    CHECK(broken.rgb == good.rgb);
    const Picture missing = shot(dir, dir / "no-such.toml", "missing", &log);
    CHECK(missing.rgb == good.rgb);

    // The terminal's own language when its config loads.
    const Picture english = shot(dir, write_file(dir / "en.toml", config_text("en")), "en", &log);
    CHECK(english.rgb != good.rgb);
    CHECK(english.count(0xB3261E) == good.count(0xB3261E));
}

}  // namespace kiosk_test_out_of_order
