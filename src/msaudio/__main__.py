from msaudio.cli import main

main()
