import Registry

/// Behaviours taken from a registry: a camera tagged `sim:NAME` (e.g. `sim:blackhole`, `sim:slow:2000`)
/// makes its endpoints' address behave that way. `sim:refused` needs nothing here: such a camera's
/// endpoints name a port the fleet does not listen on.
public enum InventoryBehaviours {
    /// Address → behaviour for every tagged camera. Cameras sharing an address (an NVR's channels)
    /// take the first tag met in id order.
    public static func table(from inventory: Inventory) throws(FleetError) -> [UInt32: CameraBehaviour] {
        var table: [UInt32: CameraBehaviour] = [:]
        for camera in inventory.cameras.sorted(by: { $0.id < $1.id }) {
            for tag in camera.tags where tag.hasPrefix("sim:") {
                let name = String(tag.dropFirst(4))
                if name == "refused" { continue }
                guard let behaviour = CameraBehaviour(name: name) else { throw .unknownBehaviour(name) }
                for address in addresses(of: camera) where table[address] == nil { table[address] = behaviour }
            }
        }
        return table
    }

    static func addresses(of camera: CameraRecord) -> [UInt32] {
        let endpoints = camera.endpoints
        var hosts = [endpoints.rtsp, endpoints.snapshot, endpoints.hls, endpoints.onvif].compactMap { $0.flatMap(EndpointURL.init)?.host }
        if let tcp = endpoints.tcp.flatMap(HostPort.init) { hosts.append(tcp.host) }
        return hosts.compactMap(FleetAddress.parse)
    }
}
