import AmoroCLI

@main
enum Entrypoint {
    static func main() async {
        CrashReport.install()
        await AmoroCommand.runAsMain()
    }
}
