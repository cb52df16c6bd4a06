/* A foreign ELF for the image tests: known initialised data, zero-filled data and a function. */
long image_sample_data = 0x1234abcd5678ef01L;
long image_sample_bss[512];

int image_sample_function(int x) { return x * 3 + (int)image_sample_bss[x & 511]; }

int main(int argc, char** argv) {
    (void)argv;
    return image_sample_function(argc) == 0;
}
