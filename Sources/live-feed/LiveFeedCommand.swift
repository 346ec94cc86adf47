// placeholder until the config seam lands
@main struct LiveFeedCommand { static func main() {} }
