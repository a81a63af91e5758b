import AmoroCLI

@main
enum Entrypoint {
    static func main() async { await AmoroCommand.runAsMain() }
}
